package dev.tally.grpc;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A call whose request does not arrive in full within {@code patience} is ended with DEADLINE_EXCEEDED:
 * otherwise a client could open streams that never send a message and hold them, and the server's memory,
 * forever. One sweeper thread checks the waiting calls each second; a call costs a map entry while its
 * request is on its way, and nothing after.
 */
final class StalledRequests implements ServerInterceptor, AutoCloseable {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(StalledRequests.class);

    /**
     * A call still waiting for its request; set once someone (the request, or the sweeper) has claimed it.
     * Compared by identity, so it is its own key.
     */
    private static final class Waiting extends AtomicBoolean {
        private final ServerCall<?, ?> call;
        private final long deadline;

        Waiting(ServerCall<?, ?> call, long deadline) {
            this.call = call;
            this.deadline = deadline;
        }
    }

    private final long patienceNanos;
    private final Set<Waiting> waiting = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "tally-stalled-requests");
        thread.setDaemon(true);
        return thread;
    });

    StalledRequests(Duration patience) {
        this.patienceNanos = patience.toNanos();
        sweeper.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        Waiting entry = new Waiting(call, System.nanoTime() + patienceNanos);
        waiting.add(entry);
        ServerCall.Listener<Q> listener;
        try {
            listener = next.startCall(call, headers);
        } catch (RuntimeException e) {
            waiting.remove(entry);
            throw e;
        }
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onHalfClose() {
                waiting.remove(entry);
                // The sweeper may have ended the call a moment ago; then the request came too late.
                if (entry.compareAndSet(false, true)) {
                    super.onHalfClose();
                }
            }

            @Override
            public void onCancel() {
                waiting.remove(entry);
                super.onCancel();
            }

            @Override
            public void onComplete() {
                waiting.remove(entry);
                super.onComplete();
            }
        };
    }

    private void sweep() {
        long now = System.nanoTime();
        waiting.removeIf(entry -> {
            if (now - entry.deadline < 0) {
                return false;
            }
            if (entry.compareAndSet(false, true)) {
                try {
                    entry.call.close(Status.DEADLINE_EXCEEDED.withDescription("the request did not arrive within "
                            + TimeUnit.NANOSECONDS.toSeconds(patienceNanos) + " s of the call's start"), new Metadata());
                } catch (RuntimeException e) {
                    // Closed meanwhile by the transport (the client went away): nothing left to end.
                    log.debug("Could not end a stalled call: {}", e.toString());
                }
            }
            return true;
        });
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
