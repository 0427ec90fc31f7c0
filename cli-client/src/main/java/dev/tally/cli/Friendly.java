package dev.tally.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Dates, instants and durations as people type them. Relative words count in UTC, as the server's days do
 * unless a plan says otherwise. A value that does not parse is refused with an example of one that does,
 * never a Java class name.
 */
final class Friendly {

    private static final Pattern DAYS_AGO = Pattern.compile("^-([0-9]{1,4})d$");
    private static final Pattern SHORT_DURATION = Pattern.compile("^([0-9]{1,9})(ms|s|m|h|d)?$");

    private Friendly() {
    }

    static void register(CommandLine commandLine) {
        commandLine.registerConverter(LocalDate.class, Friendly::day);
        commandLine.registerConverter(Instant.class, Friendly::instant);
        commandLine.registerConverter(Duration.class, Friendly::duration);
    }

    /** {@code YYYY-MM-DD}, {@code today}, {@code yesterday} or {@code -7d} (seven days ago). */
    static LocalDate day(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        switch (value) {
            case "today":
                return today;
            case "yesterday":
                return today.minusDays(1);
            default:
                break;
        }
        Matcher ago = DAYS_AGO.matcher(value);
        if (ago.matches()) {
            return today.minusDays(Long.parseLong(ago.group(1)));
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw refused(text, "a day such as 2026-03-01, today, yesterday or -7d");
        }
    }

    /** A day (its midnight, UTC), a local date-time (UTC), or ISO-8601 with a zone or offset. */
    static Instant instant(String text) {
        String value = text.trim();
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException notWithOffset) {
            try {
                return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notLocal) {
                try {
                    return day(value).atStartOfDay(ZoneOffset.UTC).toInstant();
                } catch (CommandLine.TypeConversionException notADay) {
                    throw refused(text, "a moment such as 2026-03-01T09:30:00Z, 2026-03-01T09:30 (UTC), 2026-03-01 or today");
                }
            }
        }
    }

    /** {@code 90s}, {@code 15m}, {@code 2h}, {@code 1d}, {@code 500ms}, ISO-8601 ({@code PT15M}), or a bare number of seconds. */
    static Duration duration(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        Matcher short_ = SHORT_DURATION.matcher(value);
        if (short_.matches()) {
            long amount = Long.parseLong(short_.group(1));
            return switch (short_.group(2) == null ? "s" : short_.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(value.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw refused(text, "a duration such as 90s, 15m, 2h or PT1H");
        }
    }

    private static CommandLine.TypeConversionException refused(String text, String expected) {
        String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        return new CommandLine.TypeConversionException("'" + shown + "' is not " + expected);
    }
}
