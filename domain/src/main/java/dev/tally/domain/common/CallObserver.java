package dev.tally.domain.common;

import java.util.Optional;

/**
 * Every call through any door, as the door saw it: counted, timed and logged by the telemetry adapter
 * so that both doors report alike. A door calls {@link #started} when a call arrives and {@link #finished}
 * exactly once when it has been answered.
 */
public interface CallObserver {

    /** The front door a call came through: gRPC, the AWS endpoint, or the web console's API. */
    enum Door { GRPC, AWS, CONSOLE }

    /**
     * One answered call. {@code method} is one the door serves (or {@code unknown}), {@code status} the
     * door's own code (a gRPC status name, an HTTP status), {@code caller} empty when the call was refused
     * before it was authenticated.
     */
    record Call(Door door, String method, Optional<Caller> caller, String status, long nanos, long requestBytes,
                long responseBytes) {
    }

    void started(Door door);

    void finished(Call call);

    CallObserver NONE = new CallObserver() {
        @Override
        public void started(Door door) {
        }

        @Override
        public void finished(Call call) {
        }
    };
}
