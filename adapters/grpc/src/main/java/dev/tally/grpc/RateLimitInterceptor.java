package dev.tally.grpc;

import dev.tally.domain.common.TokenBucket;
import dev.tally.domain.common.TooManyRequestsException;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per caller (per credential), so that one abusive client cannot starve the others. Runs
 * after {@link AuthInterceptor}. Over the limit: RESOURCE_EXHAUSTED, TooManyRequestsException, RetryInfo.
 */
public final class RateLimitInterceptor implements ServerInterceptor {

    private static final int EVICT_ABOVE = 10_000;
    private static final long IDLE_NANOS = Duration.ofMinutes(10).toNanos();

    private final double ratePerSecond;
    private final double burst;
    private final LongSupplier nanoTime;
    private final ConcurrentMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    public RateLimitInterceptor(double ratePerSecond, double burst, LongSupplier nanoTime) {
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String principal = Callers.current().principal();
        long now = nanoTime.getAsLong();
        Duration wait = buckets.computeIfAbsent(principal, p -> newBucket(now)).tryTake(1, now);
        if (!wait.isZero()) {
            StatusRuntimeException status = StatusMapper.toStatus(new TooManyRequestsException(
                    "request rate limit exceeded (" + (long) ratePerSecond + " requests/s, burst " + (long) burst
                            + "); retry after " + wait.toMillis() + " ms", wait));
            call.close(status.getStatus(), status.getTrailers());
            return new ServerCall.Listener<>() { };
        }
        return next.startCall(call, headers);
    }

    private TokenBucket newBucket(long now) {
        if (buckets.size() > EVICT_ABOVE) {
            // Identity tokens come and go; forget callers idle long enough that their bucket is full again.
            buckets.values().removeIf(bucket -> now - bucket.lastUsedNanos() > IDLE_NANOS);
        }
        return new TokenBucket(burst, ratePerSecond, now);
    }
}
