package dev.tally.cli;

import dev.tally.proto.v1.DailyUsage;
import dev.tally.proto.v1.QuotaSettings;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * GetUsage as people read it: one row per key with the range's total, what remains of the quota, a bar of
 * the quota used, and a sparkline of daily use (one column a day, all rows on one scale so they compare).
 */
final class UsageChart {

    /** One key's days, in date order. */
    record KeyUsage(String keyId, List<DailyUsage> days) {

        long used() {
            return days.stream().mapToLong(DailyUsage::getUsed).sum();
        }

        /** What remained at the end of the last day shown; empty when the plan has no quota. */
        OptionalLong remaining() {
            return days.isEmpty() || !days.get(days.size() - 1).hasRemaining() ? OptionalLong.empty()
                    : OptionalLong.of(days.get(days.size() - 1).getRemaining());
        }
    }

    /** How {@code --sort} orders keys. */
    enum Order {
        /** Most used first. */
        used(Comparator.comparingLong(KeyUsage::used).reversed()),
        /** Least remaining first: the keys closest to their quota; keys without a quota last. */
        remaining(Comparator.comparingLong(k -> k.remaining().orElse(Long.MAX_VALUE))),
        /** By key id. */
        key(Comparator.comparing(KeyUsage::keyId));

        final Comparator<KeyUsage> comparator;

        Order(Comparator<KeyUsage> comparator) {
            this.comparator = comparator.thenComparing(KeyUsage::keyId);
        }
    }

    static final List<String> HEADERS = List.of("KEY_ID", "USED", "REMAINING", "QUOTA_USED", "DAILY");

    private static final String LEVELS = "▁▂▃▄▅▆▇█";
    private static final char NONE = '·';
    private static final int BAR = 10;

    private UsageChart() {
    }

    /** The chart's rows, then a blank line and its legend. */
    static List<String> render(List<KeyUsage> keys, LocalDate from, LocalDate to, Optional<QuotaSettings> quota) {
        long busiestDay = keys.stream().flatMap(k -> k.days().stream()).mapToLong(DailyUsage::getUsed).max().orElse(0);
        List<List<String>> rows = keys.stream().map(k -> List.of(k.keyId(), count(k.used()),
                k.remaining().isPresent() ? count(k.remaining().getAsLong()) : "-",
                quota.isPresent() && k.remaining().isPresent() ? quotaBar(quota.get().getLimit(), k.remaining().getAsLong()) : "-",
                sparkline(k.days(), busiestDay))).toList();
        List<String> lines = new ArrayList<>(Output.tableLines(HEADERS, rows));
        lines.add("");
        lines.add("DAILY: one column a day, " + from + " to " + to + "; " + LEVELS.charAt(LEVELS.length() - 1) + " = "
                + count(busiestDay) + " (the busiest day shown), " + NONE + " = none.");
        lines.add(quota.map(q -> "QUOTA_USED: of " + count(q.getLimit()) + " a " + period(q) + ", at the end of " + to + ".")
                .orElse("QUOTA_USED: the plan has no quota."));
        if (keys.isEmpty()) {
            lines.add("No keys to show.");
        }
        return lines;
    }

    /** One character a day: {@value #NONE} for none, else one of eight heights scaled to {@code busiestDay}. */
    static String sparkline(List<DailyUsage> days, long busiestDay) {
        StringBuilder line = new StringBuilder(days.size());
        for (DailyUsage day : days) {
            long used = day.getUsed();
            if (used <= 0 || busiestDay <= 0) {
                line.append(NONE);
            } else {
                int level = (int) Math.min(LEVELS.length() - 1, Math.max(0, Math.ceil((double) used * LEVELS.length() / busiestDay) - 1));
                line.append(LEVELS.charAt(level));
            }
        }
        return line.toString();
    }

    /** A ten-cell bar of the period's quota used, and the percentage; a quota of 0 is all used. */
    static String quotaBar(long limit, long remaining) {
        return bar(limit <= 0 ? 1 : Math.min(1, Math.max(0, (double) (limit - remaining) / limit)));
    }

    /**
     * An entitlement's bar: consumed of max, ten cells, and the percentage, which goes past 100% on overage.
     * "-" for an entitlement without a maximum or with a non-numeric value (a tier).
     */
    static String consumedBar(String consumed, String max) {
        try {
            double of = Double.parseDouble(max);
            double used = Double.parseDouble(consumed);
            if (!(of > 0) || used < 0) {
                return "-";
            }
            return bar(used / of) + (used > of ? " over" : "");
        } catch (NumberFormatException e) {
            return "-";
        }
    }

    /** Ten cells filled in proportion to {@code fraction} (at most all ten), then the percentage, which may pass 100. */
    private static String bar(double fraction) {
        int filled = (int) Math.min(BAR, Math.round(fraction * BAR));
        return "█".repeat(filled) + "░".repeat(BAR - filled) + String.format(Locale.ROOT, " %3d%%", Math.round(fraction * 100));
    }

    static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    private static String period(QuotaSettings quota) {
        return quota.getPeriod().name().replace("QUOTA_PERIOD_", "").toLowerCase(Locale.ROOT);
    }
}
