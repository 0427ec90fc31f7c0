package dev.tally.domain.common;

import java.time.Duration;

/**
 * A token bucket: holds up to {@code capacity} tokens and refills at {@code ratePerSecond}. Time comes from
 * the caller as monotonic nanoseconds, so the rule is deterministic under test. Thread-safe.
 */
public final class TokenBucket {

    /** The longest wait reported; beyond it a caller should not plan to retry at all. */
    private static final double MAX_WAIT_SECONDS = 86_400;

    private final double capacity;
    private final double ratePerSecond;
    private double tokens;
    private long lastRefillNanos;

    public TokenBucket(double capacity, double ratePerSecond, long nowNanos) {
        if (capacity < 0 || ratePerSecond < 0 || Double.isNaN(capacity) || Double.isNaN(ratePerSecond)) {
            throw new IllegalArgumentException("capacity and rate must be non-negative");
        }
        this.capacity = capacity;
        this.ratePerSecond = ratePerSecond;
        this.tokens = capacity;
        this.lastRefillNanos = nowNanos;
    }

    /**
     * Takes {@code cost} tokens if the bucket holds them. Returns {@link Duration#ZERO} when taken; otherwise
     * takes nothing and returns how long until enough tokens will have refilled (a very long duration when
     * the bucket never refills or can never hold {@code cost}).
     */
    public synchronized Duration tryTake(double cost, long nowNanos) {
        refill(nowNanos);
        if (tokens >= cost) {
            tokens -= cost;
            return Duration.ZERO;
        }
        double seconds = (cost - tokens) / ratePerSecond;
        if (ratePerSecond == 0 || cost > capacity || !(seconds < MAX_WAIT_SECONDS)) {
            // A bucket that never refills, can never hold the cost, or refills absurdly slowly: a day, not 9e9 s.
            return Duration.ofDays(1);
        }
        return Duration.ofNanos((long) Math.ceil(seconds * 1e9));
    }

    /** Gives back tokens taken for a request that was then refused for another reason. */
    public synchronized void refund(double cost) {
        tokens = Math.min(capacity, tokens + cost);
    }

    /** The nanosecond time of the last take or refill, for evicting idle buckets. */
    public synchronized long lastUsedNanos() {
        return lastRefillNanos;
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - lastRefillNanos;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed / 1e9 * ratePerSecond);
            lastRefillNanos = nowNanos;
        }
    }
}
