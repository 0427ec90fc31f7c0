package dev.tally.domain.quota;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A ConsumeQuota result: the decision and the period's figures after it. {@code remaining} is empty without
 * a quota; {@code retryAfter} is zero unless throttled or over quota.
 */
public record QuotaDecision(Decision decision, long used, OptionalLong remaining, Instant periodEnd, Duration retryAfter) {

    public QuotaDecision {
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(remaining, "remaining");
        Objects.requireNonNull(periodEnd, "periodEnd");
        Objects.requireNonNull(retryAfter, "retryAfter");
    }

    static QuotaDecision keyRejected(Instant periodEnd) {
        return new QuotaDecision(Decision.KEY_REJECTED, 0, OptionalLong.empty(), periodEnd, Duration.ZERO);
    }
}
