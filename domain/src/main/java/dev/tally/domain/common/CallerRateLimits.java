package dev.tally.domain.common;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per caller (per credential), so that one abusive client cannot starve the others. One
 * instance serves every front door: a caller's budget is the same whichever door it calls through.
 */
public final class CallerRateLimits {

    private static final int EVICT_ABOVE = 10_000;
    private static final long IDLE_NANOS = Duration.ofMinutes(10).toNanos();

    private final double ratePerSecond;
    private final double burst;
    private final LongSupplier nanoTime;
    private final ConcurrentMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    public CallerRateLimits(double ratePerSecond, double burst, LongSupplier nanoTime) {
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    /**
     * Counts one request of {@code caller}.
     *
     * @throws TooManyRequestsException when the caller is over its rate, with how long to wait
     */
    public void admit(Caller caller) {
        long now = nanoTime.getAsLong();
        Duration wait = buckets.computeIfAbsent(caller.principal(), p -> newBucket(now)).tryTake(1, now);
        if (!wait.isZero()) {
            throw new TooManyRequestsException("request rate limit exceeded (" + (long) ratePerSecond + " requests/s, burst "
                    + (long) burst + "); retry after " + wait.toMillis() + " ms", wait);
        }
    }

    private TokenBucket newBucket(long now) {
        if (buckets.size() > EVICT_ABOVE) {
            // Identity tokens come and go; forget callers idle long enough that their bucket is full again.
            buckets.values().removeIf(bucket -> now - bucket.lastUsedNanos() > IDLE_NANOS);
        }
        return new TokenBucket(burst, ratePerSecond, now);
    }
}
