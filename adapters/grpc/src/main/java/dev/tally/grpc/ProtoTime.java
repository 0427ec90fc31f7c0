package dev.tally.grpc;

import com.google.protobuf.Timestamp;
import java.time.Instant;

/** {@link Instant} to and from {@code google.protobuf.Timestamp}. */
final class ProtoTime {

    private ProtoTime() {
    }

    static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}
