package dev.tally.domain.quota;

/** A key's counter for one period: requests used, and the UpdateUsage adjustment in effect. */
public record PeriodCounter(long used, long adjustment) {

    public static final PeriodCounter EMPTY = new PeriodCounter(0, 0);
}
