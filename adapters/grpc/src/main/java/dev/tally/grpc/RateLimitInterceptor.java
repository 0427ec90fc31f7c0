package dev.tally.grpc;

import dev.tally.domain.common.CallerRateLimits;
import dev.tally.domain.common.TooManyRequestsException;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import java.util.Objects;

/**
 * The per-caller rate limit on the gRPC door. Runs after {@link AuthInterceptor}. Over the limit:
 * RESOURCE_EXHAUSTED, TooManyRequestsException, RetryInfo.
 */
public final class RateLimitInterceptor implements ServerInterceptor {

    private final CallerRateLimits limits;

    public RateLimitInterceptor(CallerRateLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        try {
            limits.admit(Callers.current());
        } catch (TooManyRequestsException e) {
            StatusRuntimeException status = StatusMapper.toStatus(e);
            call.close(status.getStatus(), status.getTrailers());
            return new ServerCall.Listener<>() { };
        }
        return next.startCall(call, headers);
    }
}
