package dev.tally.domain.quota;

import java.time.LocalDate;
import java.util.OptionalLong;

/** One day of one key: requests used that day, and what remained of the period's quota at its end. */
public record DailyUsage(LocalDate date, long used, OptionalLong remaining) {
}
