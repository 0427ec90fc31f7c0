package dev.tally.server;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as operators write them: {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, or ISO-8601 ({@code PT5S}). */
final class Durations {

    private static final Pattern SHORT = Pattern.compile("^([0-9]{1,9})(ms|s|m|h)$");

    private Durations() {
    }

    static Duration parse(String text) {
        String trimmed = text.trim().toLowerCase(Locale.ROOT);
        Matcher short_ = SHORT.matcher(trimmed);
        if (short_.matches()) {
            long amount = Long.parseLong(short_.group(1));
            return switch (short_.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        }
        try {
            return Duration.parse(trimmed.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + (text.length() > 40 ? text.substring(0, 40) + "..." : text)
                    + "' is not a duration: write it as 500ms, 5s, 2m, 1h or ISO-8601 (PT5S)");
        }
    }

    /** As an operator would write it back: the shortest exact form. */
    static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 3_600_000 == 0 && millis > 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0 && millis > 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }
}
