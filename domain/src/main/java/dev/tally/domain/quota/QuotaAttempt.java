package dev.tally.domain.quota;

import dev.tally.domain.common.ApiKeyId;
import dev.tally.domain.common.UsagePlanId;
import java.time.LocalDate;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One metered request: consume {@code cost} on {@code day} if the period starting {@code periodStart} has
 * room under {@code allowance} plus its adjustment (always, without an allowance).
 */
public record QuotaAttempt(UsagePlanId plan, ApiKeyId key, LocalDate day, LocalDate periodStart, OptionalLong allowance,
                           long cost, Optional<IdempotencyScope> idempotency) {

    /** Whether the cost fits in a period that stands at {@code counter}: the rule every store's statements apply. */
    public boolean fits(PeriodCounter counter) {
        return allowance.isEmpty() || counter.used() + cost <= counter.adjustment() + allowance.getAsLong();
    }
}
