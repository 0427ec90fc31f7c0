package dev.tally.domain.license;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;

/** When perpetual consumption starts again from zero: never, each Monday, or each 1st, at 00:00 UTC. */
public enum RenewType {
    NONE, WEEKLY, MONTHLY;

    /** The instant perpetual consumption made at {@code at} stops counting; {@link Instant#MAX}-like for NONE. */
    public Instant nextRenewal(Instant at) {
        LocalDate day = at.atOffset(ZoneOffset.UTC).toLocalDate();
        LocalDate next = switch (this) {
            case NONE -> null;
            case WEEKLY -> day.with(TemporalAdjusters.next(DayOfWeek.MONDAY));
            case MONTHLY -> day.with(TemporalAdjusters.firstDayOfNextMonth());
        };
        return next == null ? NEVER : next.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** Far enough in the future to mean "never", and still storable as epoch milliseconds. */
    public static final Instant NEVER = Instant.ofEpochMilli(Long.MAX_VALUE);
}
