package dev.tally.grpc;

import dev.tally.domain.common.Caller;
import io.grpc.Context;

/** The authenticated caller of the current call, attached to the gRPC {@link Context} by {@link AuthInterceptor}. */
public final class Callers {

    static final Context.Key<Caller> KEY = Context.key("tally-caller");

    private Callers() {
    }

    /** The caller of the call being served; only services behind {@link AuthInterceptor} may ask. */
    public static Caller current() {
        Caller caller = KEY.get();
        if (caller == null) {
            throw new IllegalStateException("no authenticated caller: is the service behind the AuthInterceptor?");
        }
        return caller;
    }
}
