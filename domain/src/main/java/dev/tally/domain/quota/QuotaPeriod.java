package dev.tally.domain.quota;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;

/** The length of a quota period, counted in calendar days of the plan's time zone. */
public enum QuotaPeriod {
    /** One calendar day. */
    DAY,
    /** A week from Monday to Sunday. */
    WEEK,
    /** A calendar month from the 1st. */
    MONTH;

    /** The first day of the period that {@code day} falls in. */
    public LocalDate start(LocalDate day) {
        return switch (this) {
            case DAY -> day;
            case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> day.withDayOfMonth(1);
        };
    }

    /** The first day after the period that {@code day} falls in. */
    public LocalDate end(LocalDate day) {
        LocalDate start = start(day);
        return switch (this) {
            case DAY -> start.plusDays(1);
            case WEEK -> start.plusWeeks(1);
            case MONTH -> start.plusMonths(1);
        };
    }
}
