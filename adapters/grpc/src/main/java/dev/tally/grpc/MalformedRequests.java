package dev.tally.grpc;

import dev.tally.domain.common.IntervalCounter;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.InputStream;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request bytes that are not a valid message get INVALID_ARGUMENT and change nothing. Left to grpc-java, a
 * parse failure escapes the call as UNKNOWN "Application error processing RPC" and logs a stack trace per
 * call, which anyone could provoke through the unauthenticated health service. Here a service receives
 * its requests as raw streams and parses them itself, so a failure is answered rather than thrown; the
 * log gets at most one line a minute, with how many were refused since.
 */
final class MalformedRequests implements ServerInterceptor {

    private static final Logger log = LoggerFactory.getLogger(MalformedRequests.class);

    private final IntervalCounter refused = new IntervalCounter(Duration.ofMinutes(1));

    /** {@code service}, parsing its own requests behind this guard. */
    ServerServiceDefinition guard(ServerServiceDefinition service) {
        return ServerInterceptors.intercept(ServerInterceptors.useInputStreamMessages(service), this);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            private boolean closed;

            @Override
            public void onMessage(Q message) {
                if (closed) {
                    return;
                }
                try {
                    super.onMessage(message);
                } catch (StatusRuntimeException unparsable) {
                    // A unary listener only keeps the message here; what it throws is the parse failing.
                    closed = true;
                    closeQuietly(message);
                    call.close(Status.INVALID_ARGUMENT.withDescription("the request is not a valid "
                            + call.getMethodDescriptor().getFullMethodName() + " request message"), new Metadata());
                    noteRefused(call.getMethodDescriptor().getFullMethodName(), unparsable);
                }
            }

            @Override
            public void onHalfClose() {
                if (!closed) {
                    super.onHalfClose();
                }
            }

            @Override
            public void onReady() {
                if (!closed) {
                    super.onReady();
                }
            }
        };
    }

    private void noteRefused(String method, StatusRuntimeException failure) {
        long count = refused.countAndReport();
        if (count > 0) {
            Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
            log.warn("Refused {} malformed request message(s) in the last minute, the latest to {}: {}", count, method,
                    String.valueOf(cause.getMessage()).lines().findFirst().orElse("").split("\\.\\s", 2)[0]);
        }
    }

    private static void closeQuietly(Object message) {
        if (message instanceof InputStream stream) {
            try {
                stream.close();
            } catch (java.io.IOException ignored) {
                // Nothing to do: the request is refused either way.
            }
        }
    }
}
