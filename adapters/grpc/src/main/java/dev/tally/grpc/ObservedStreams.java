package dev.tally.grpc;

import dev.tally.domain.common.CallObserver;
import dev.tally.domain.common.Caller;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reports every gRPC call to the {@link CallObserver}: from the moment its headers arrive to the moment its
 * status is sent, with the bytes it moved and, once {@link AuthInterceptor} knows it, its caller. A method
 * the server does not serve is reported as {@code unknown}, so a scanner cannot grow the metrics.
 */
final class ObservedStreams extends ServerStreamTracer.Factory {

    private static final Context.Key<Stream> STREAM = Context.key("tally-observed-stream");

    private final CallObserver observer;
    private volatile Set<String> served = Set.of();

    ObservedStreams(CallObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /** The full names of the methods served; any other is reported as unknown. */
    void served(Set<String> methods) {
        this.served = Set.copyOf(methods);
    }

    /** Names the caller of the call being served, for its report. */
    static void identify(Caller caller) {
        Stream stream = STREAM.get();
        if (stream != null) {
            stream.caller = caller;
        }
    }

    @Override
    public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
        observer.started(CallObserver.Door.GRPC);
        return new Stream(served.contains(fullMethodName) ? fullMethodName : "unknown");
    }

    private final class Stream extends ServerStreamTracer {
        private final long start = System.nanoTime();
        private final String method;
        private volatile Caller caller;
        private long requestBytes;
        private long responseBytes;

        Stream(String method) {
            this.method = method;
        }

        @Override
        public Context filterContext(Context context) {
            return context.withValue(STREAM, this);
        }

        @Override
        public void inboundWireSize(long bytes) {
            requestBytes += bytes;
        }

        @Override
        public void outboundWireSize(long bytes) {
            responseBytes += bytes;
        }

        @Override
        public void streamClosed(Status status) {
            observer.finished(new CallObserver.Call(CallObserver.Door.GRPC, method, Optional.ofNullable(caller), status.getCode().name(),
                    System.nanoTime() - start, requestBytes, responseBytes));
        }
    }
}
