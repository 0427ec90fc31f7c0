package dev.tally.grpc;

import dev.tally.domain.access.port.in.AuthenticateCaller;
import dev.tally.domain.common.Caller;
import dev.tally.domain.common.UnauthenticatedException;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import java.util.Objects;

/**
 * Authenticates every call from its {@code authorization: Bearer <token>} header and attaches the
 * {@link Caller} to the call's context. A missing, malformed, unknown, revoked or expired token ends the
 * call with UNAUTHENTICATED before any service code runs.
 */
public final class AuthInterceptor implements ServerInterceptor {

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String BEARER = "bearer ";

    private final AuthenticateCaller authenticator;

    public AuthInterceptor(AuthenticateCaller authenticator) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        Caller caller;
        try {
            caller = authenticator.authenticate(bearerToken(headers.getAll(AUTHORIZATION)));
        } catch (RuntimeException failure) {
            StatusRuntimeException status = StatusMapper.toStatus(failure);
            call.close(status.getStatus(), status.getTrailers());
            return new ServerCall.Listener<>() { };
        }
        ObservedStreams.identify(caller);
        return Contexts.interceptCall(Context.current().withValue(Callers.KEY, caller), call, headers, next);
    }

    private static String bearerToken(Iterable<String> headers) {
        java.util.Iterator<String> values = headers == null ? java.util.Collections.emptyIterator() : headers.iterator();
        if (!values.hasNext()) {
            throw new UnauthenticatedException(null, "missing 'authorization: Bearer <token>' metadata");
        }
        String header = values.next();
        if (values.hasNext()) {
            // Which one a proxy or a library would pick differs: refuse the ambiguity rather than guess.
            throw new UnauthenticatedException(null, "the call carries more than one authorization header; send exactly one");
        }
        if (header.length() <= BEARER.length() || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new UnauthenticatedException(null, "the authorization metadata must be 'Bearer <token>'");
        }
        return header.substring(BEARER.length()).trim();
    }
}
