package dev.tally.domain.quota;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * GetUsage's arithmetic. For each day d of the range: {@code used} is d's count; {@code remaining} is the
 * period's allowance (limit, less the offset in the plan's first period), less what was used from the start
 * of d's period through d, plus the adjustment of the latest UpdateUsage on or before d within that period;
 * never below zero, and absent without a quota.
 */
public final class UsageCalculator {

    private UsageCalculator() {
    }

    /**
     * @param rows one key's counter rows from the start of {@code start}'s period through {@code end}, any order
     */
    public static List<DailyUsage> daily(UsagePlan plan, LocalDate start, LocalDate end, List<UsageDay> rows) {
        Map<LocalDate, UsageDay> byDay = new HashMap<>();
        rows.forEach(row -> byDay.put(row.day(), row));
        QuotaPeriod period = plan.period();
        List<DailyUsage> result = new ArrayList<>();
        LocalDate periodStart = period.start(start);
        OptionalLong allowance = plan.allowance(periodStart);
        long usedInPeriod = 0;
        long adjustment = 0;
        for (LocalDate day = periodStart; !day.isAfter(end); day = day.plusDays(1)) {
            if (!period.start(day).equals(periodStart)) {
                periodStart = period.start(day);
                allowance = plan.allowance(periodStart);
                usedInPeriod = 0;
                adjustment = 0;
            }
            UsageDay row = byDay.get(day);
            long used = row == null ? 0 : row.used();
            usedInPeriod += used;
            if (row != null && row.adjustment().isPresent()) {
                adjustment = row.adjustment().getAsLong();
            }
            if (!day.isBefore(start)) {
                result.add(new DailyUsage(day, used, allowance.isPresent()
                        ? OptionalLong.of(remaining(allowance.getAsLong(), usedInPeriod, adjustment)) : OptionalLong.empty()));
            }
        }
        return result;
    }

    /** What is left: never negative, even when recorded (unenforced) usage went past the allowance. */
    public static long remaining(long allowance, long used, long adjustment) {
        return Math.max(0, allowance - used + adjustment);
    }
}
