package dev.tally.domain.quota;

import java.util.Optional;

/**
 * UpdateUsagePlan's changes, field by field as AWS's patch operations name them; empty fields stay as they
 * are. A plan without a quota that gains one needs a limit and a period; one without a throttle that gains
 * one needs a burst and a rate limit.
 */
public record UsagePlanUpdate(Optional<String> name, Optional<String> description,
                              Optional<Long> quotaLimit, Optional<Long> quotaOffset, Optional<QuotaPeriod> quotaPeriod,
                              boolean removeQuota,
                              Optional<Integer> throttleBurstLimit, Optional<Double> throttleRateLimit, boolean removeThrottle) {

    /** No change at all. */
    public static UsagePlanUpdate none() {
        return new UsagePlanUpdate(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                false, Optional.empty(), Optional.empty(), false);
    }

    public UsagePlanUpdate withName(String value) {
        return new UsagePlanUpdate(Optional.of(value), description, quotaLimit, quotaOffset, quotaPeriod, removeQuota,
                throttleBurstLimit, throttleRateLimit, removeThrottle);
    }

    public UsagePlanUpdate withDescription(String value) {
        return new UsagePlanUpdate(name, Optional.of(value), quotaLimit, quotaOffset, quotaPeriod, removeQuota,
                throttleBurstLimit, throttleRateLimit, removeThrottle);
    }

    public UsagePlanUpdate withQuotaLimit(long value) {
        return new UsagePlanUpdate(name, description, Optional.of(value), quotaOffset, quotaPeriod, removeQuota,
                throttleBurstLimit, throttleRateLimit, removeThrottle);
    }

    public UsagePlanUpdate withQuotaOffset(long value) {
        return new UsagePlanUpdate(name, description, quotaLimit, Optional.of(value), quotaPeriod, removeQuota,
                throttleBurstLimit, throttleRateLimit, removeThrottle);
    }

    public UsagePlanUpdate withQuotaPeriod(QuotaPeriod value) {
        return new UsagePlanUpdate(name, description, quotaLimit, quotaOffset, Optional.of(value), removeQuota,
                throttleBurstLimit, throttleRateLimit, removeThrottle);
    }

    public UsagePlanUpdate withoutQuota() {
        return new UsagePlanUpdate(name, description, quotaLimit, quotaOffset, quotaPeriod, true,
                throttleBurstLimit, throttleRateLimit, removeThrottle);
    }

    public UsagePlanUpdate withThrottleBurstLimit(int value) {
        return new UsagePlanUpdate(name, description, quotaLimit, quotaOffset, quotaPeriod, removeQuota,
                Optional.of(value), throttleRateLimit, removeThrottle);
    }

    public UsagePlanUpdate withThrottleRateLimit(double value) {
        return new UsagePlanUpdate(name, description, quotaLimit, quotaOffset, quotaPeriod, removeQuota,
                throttleBurstLimit, Optional.of(value), removeThrottle);
    }

    public UsagePlanUpdate withoutThrottle() {
        return new UsagePlanUpdate(name, description, quotaLimit, quotaOffset, quotaPeriod, removeQuota,
                throttleBurstLimit, throttleRateLimit, true);
    }
}
