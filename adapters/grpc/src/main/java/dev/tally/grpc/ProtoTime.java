package dev.tally.grpc;

import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.util.Optional;

/** {@link Instant} to and from {@code google.protobuf.Timestamp}. */
final class ProtoTime {

    private ProtoTime() {
    }

    static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    /** The instant of a message field that may be unset. */
    static Optional<Instant> instant(boolean present, Timestamp timestamp) {
        return present ? Optional.of(Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos())) : Optional.empty();
    }
}
