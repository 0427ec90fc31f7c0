package dev.tally.domain.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.domain.common.ApiKeyId;
import dev.tally.domain.common.InvalidParameterException;
import dev.tally.domain.common.UsagePlanId;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** GetUsage's period arithmetic: boundaries, month ends, time zones across DST, offset and UpdateUsage. */
class PeriodArithmeticTest {

    private static final ApiKeyId KEY = new ApiKeyId("k000000001");

    @Test
    void dayWeekAndMonthPeriods_startWhereTheContractSays() {
        LocalDate wednesday = LocalDate.parse("2026-07-15");

        assertThat(QuotaPeriod.DAY.start(wednesday)).isEqualTo(wednesday);
        assertThat(QuotaPeriod.DAY.end(wednesday)).isEqualTo("2026-07-16");
        assertThat(QuotaPeriod.WEEK.start(wednesday)).isEqualTo("2026-07-13");
        assertThat(QuotaPeriod.WEEK.start(LocalDate.parse("2026-07-13"))).isEqualTo("2026-07-13");
        assertThat(QuotaPeriod.WEEK.start(LocalDate.parse("2026-07-19"))).isEqualTo("2026-07-13");
        assertThat(QuotaPeriod.WEEK.end(wednesday)).isEqualTo("2026-07-20");
        assertThat(QuotaPeriod.MONTH.start(wednesday)).isEqualTo("2026-07-01");
        assertThat(QuotaPeriod.MONTH.end(wednesday)).isEqualTo("2026-08-01");
    }

    @Test
    void anAttemptFits_whenItsCostStaysWithinTheAllowancePlusTheAdjustment() {
        QuotaAttempt costs3 = new QuotaAttempt(new UsagePlanId("p00001"), KEY, LocalDate.parse("2026-07-15"),
                LocalDate.parse("2026-07-15"), OptionalLong.of(10), 3, Optional.empty());

        assertThat(costs3.fits(new PeriodCounter(7, 0))).isTrue();
        assertThat(costs3.fits(new PeriodCounter(8, 0))).isFalse();
        assertThat(costs3.fits(new PeriodCounter(8, 1))).as("UpdateUsage raised what remains").isTrue();
        assertThat(costs3.fits(new PeriodCounter(0, -8))).as("UpdateUsage lowered what remains").isFalse();
        assertThat(new QuotaAttempt(costs3.plan(), KEY, costs3.day(), costs3.periodStart(), OptionalLong.empty(), 3, Optional.empty())
                .fits(new PeriodCounter(Long.MAX_VALUE / 2, 0))).as("no quota").isTrue();
    }

    @Test
    void monthPeriods_endAfter28_29_30And31Days() {
        assertThat(QuotaPeriod.MONTH.end(LocalDate.parse("2026-02-28"))).isEqualTo("2026-03-01");
        assertThat(QuotaPeriod.MONTH.end(LocalDate.parse("2028-02-29"))).isEqualTo("2028-03-01");
        assertThat(QuotaPeriod.MONTH.start(LocalDate.parse("2028-02-29"))).isEqualTo("2028-02-01");
        assertThat(QuotaPeriod.MONTH.end(LocalDate.parse("2026-04-30"))).isEqualTo("2026-05-01");
        assertThat(QuotaPeriod.MONTH.end(LocalDate.parse("2026-12-31"))).isEqualTo("2027-01-01");

        UsagePlan monthly = plan(new QuotaSettings(100, 0, QuotaPeriod.MONTH), "UTC", "2026-01-01T00:00:00Z");
        List<DailyUsage> days = UsageCalculator.daily(monthly, LocalDate.parse("2026-02-27"), LocalDate.parse("2026-03-02"),
                List.of(used("2026-02-27", 10), used("2026-02-28", 20), used("2026-03-01", 5)));

        assertThat(days).extracting(d -> d.remaining().getAsLong()).containsExactly(90L, 70L, 95L, 95L);
    }

    @Test
    void daysAndPeriods_followThePlansTimeZone_acrossADstChange() {
        UsagePlan berlin = plan(new QuotaSettings(10, 0, QuotaPeriod.DAY), "Europe/Berlin", "2026-01-01T00:00:00Z");

        assertThat(berlin.day(Instant.parse("2026-03-28T23:30:00Z"))).isEqualTo("2026-03-29");
        assertThat(berlin.periodEnd(LocalDate.parse("2026-03-28"))).isEqualTo("2026-03-28T23:00:00Z");
        assertThat(berlin.periodEnd(LocalDate.parse("2026-03-29"))).isEqualTo("2026-03-29T22:00:00Z");
        assertThat(berlin.periodEnd(LocalDate.parse("2026-10-25"))).isEqualTo("2026-10-25T23:00:00Z");
        UsagePlan tokyoWeekly = plan(new QuotaSettings(10, 0, QuotaPeriod.WEEK), "Asia/Tokyo", "2026-01-01T00:00:00Z");
        assertThat(tokyoWeekly.day(Instant.parse("2026-07-19T15:00:00Z"))).isEqualTo("2026-07-20");
        assertThat(tokyoWeekly.periodEnd(LocalDate.parse("2026-07-20"))).isEqualTo("2026-07-26T15:00:00Z");
    }

    @Test
    void offset_isTakenOffOnlyInThePlansFirstPeriod() {
        UsagePlan plan = plan(new QuotaSettings(100, 30, QuotaPeriod.WEEK), "UTC", "2026-07-15T09:00:00Z");

        assertThat(plan.allowance(LocalDate.parse("2026-07-13"))).hasValue(70);
        assertThat(plan.allowance(LocalDate.parse("2026-07-20"))).hasValue(100);
        List<DailyUsage> days = UsageCalculator.daily(plan, LocalDate.parse("2026-07-18"), LocalDate.parse("2026-07-21"),
                List.of(used("2026-07-15", 5), used("2026-07-19", 5), used("2026-07-20", 1)));
        assertThat(days).extracting(d -> d.remaining().getAsLong()).containsExactly(65L, 60L, 99L, 99L);
        assertThat(days).extracting(DailyUsage::used).containsExactly(0L, 5L, 1L, 0L);
    }

    @Test
    void updateUsage_midPeriod_raisesOrLowersRemainingFromThatDayOn_andTheResetForgetsIt() {
        UsagePlan plan = plan(new QuotaSettings(1000, 0, QuotaPeriod.WEEK), "UTC", "2026-01-01T00:00:00Z");
        List<UsageDay> rows = new ArrayList<>();
        rows.add(used("2026-07-13", 100));
        rows.add(new UsageDay(KEY, LocalDate.parse("2026-07-14"), 50, OptionalLong.of(-700)));
        rows.add(used("2026-07-15", 20));
        rows.add(new UsageDay(KEY, LocalDate.parse("2026-07-16"), 0, OptionalLong.of(500)));
        rows.add(used("2026-07-20", 1));

        List<DailyUsage> days = UsageCalculator.daily(plan, LocalDate.parse("2026-07-13"), LocalDate.parse("2026-07-20"), rows);

        assertThat(days).extracting(d -> d.remaining().getAsLong())
                .containsExactly(900L, 150L, 130L, 1330L, 1330L, 1330L, 1330L, 999L);
    }

    @Test
    void planWithoutQuota_reportsUsedAndNoRemaining() {
        UsagePlan plan = plan(null, "UTC", "2026-01-01T00:00:00Z");

        List<DailyUsage> days = UsageCalculator.daily(plan, LocalDate.parse("2026-07-13"), LocalDate.parse("2026-07-14"),
                List.of(used("2026-07-14", 7)));

        assertThat(days).extracting(DailyUsage::used).containsExactly(0L, 7L);
        assertThat(days).allSatisfy(d -> assertThat(d.remaining()).isEmpty());
        assertThat(plan.allowance(LocalDate.parse("2026-07-13"))).isEmpty();
    }

    @Test
    void remaining_neverGoesBelowZero_andQuotaSettingsAreValidated() {
        assertThat(UsageCalculator.remaining(10, 15, 0)).isZero();
        assertThatThrownBy(() -> new QuotaSettings(-1, 0, QuotaPeriod.DAY)).isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("quota.limit");
        assertThatThrownBy(() -> new QuotaSettings(10, 11, QuotaPeriod.DAY)).hasMessageContaining("quota.offset");
        assertThatThrownBy(() -> new ThrottleSettings(-1, 1)).hasMessageContaining("throttle.burst_limit");
        assertThatThrownBy(() -> new ThrottleSettings(1, Double.NaN)).hasMessageContaining("throttle.rate_limit");
    }

    private static UsagePlan plan(QuotaSettings quota, String zone, String created) {
        return new UsagePlan(new UsagePlanId("plan01"), "p", "", Optional.ofNullable(quota), Optional.empty(), ZoneId.of(zone),
                Instant.parse(created));
    }

    private static UsageDay used(String day, long used) {
        return new UsageDay(KEY, LocalDate.parse(day), used, OptionalLong.empty());
    }
}
