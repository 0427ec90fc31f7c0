package dev.tally.domain.quota;

import dev.tally.domain.common.ApiKeyId;
import dev.tally.domain.common.TokenBucket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One token bucket per (plan, key), held by this server. With several servers each enforces the throttle
 * on its own share of the traffic; the quota, by contrast, is exact across all of them.
 */
final class ThrottleBuckets {

    private final Clock clock;
    private final ConcurrentMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    ThrottleBuckets(Clock clock) {
        this.clock = clock;
    }

    /** Takes {@code cost}; returns zero when taken, else how long until it could be. */
    Duration take(UsagePlan plan, ApiKeyId key, long cost) {
        if (plan.throttle().isEmpty()) {
            return Duration.ZERO;
        }
        long now = nanos(clock.instant());
        ThrottleSettings settings = plan.throttle().get();
        return buckets.computeIfAbsent(plan.id().value() + "/" + key.value(),
                k -> new TokenBucket(settings.burstLimit(), settings.rateLimit(), now)).tryTake(cost, now);
    }

    /** Returns tokens taken for a request the quota then refused: a denied call consumes nothing. */
    void refund(UsagePlan plan, ApiKeyId key, long cost) {
        TokenBucket bucket = buckets.get(plan.id().value() + "/" + key.value());
        if (bucket != null) {
            bucket.refund(cost);
        }
    }

    /** Forgets a deleted plan's buckets. */
    void forget(UsagePlan plan) {
        buckets.keySet().removeIf(k -> k.startsWith(plan.id().value() + "/"));
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
