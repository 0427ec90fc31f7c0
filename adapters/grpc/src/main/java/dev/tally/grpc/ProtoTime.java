package dev.tally.grpc;

import com.google.protobuf.Timestamp;
import dev.tally.domain.common.ErrorReason;
import dev.tally.domain.common.InvalidParameterException;
import java.time.Instant;
import java.util.Optional;

/** {@link Instant} to and from {@code google.protobuf.Timestamp}. */
final class ProtoTime {

    private ProtoTime() {
    }

    /**
     * The Timestamp of {@code instant}, within protobuf's range: rows stored before requests were checked may
     * hold instants it cannot express, and one of those must not break every JSON reader of a listing.
     */
    static Timestamp timestamp(Instant instant) {
        if (instant.getEpochSecond() > MAX_SECONDS) {
            return Timestamp.newBuilder().setSeconds(MAX_SECONDS).setNanos(999_999_999).build();
        }
        if (instant.getEpochSecond() < MIN_SECONDS) {
            return Timestamp.newBuilder().setSeconds(MIN_SECONDS).build();
        }
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    /** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the range protobuf's Timestamp (and its JSON form) can express. */
    static final long MIN_SECONDS = -62_135_596_800L;
    static final long MAX_SECONDS = 253_402_300_799L;

    /**
     * The instant of a message field that may be unset, checked before it is converted: a Timestamp outside
     * protobuf's range would overflow the conversion, or be stored and then break every JSON reader.
     *
     * @throws InvalidParameterException naming {@code field}, with {@code reason}
     */
    static Optional<Instant> instant(String field, ErrorReason reason, boolean present, Timestamp timestamp) {
        if (!present) {
            return Optional.empty();
        }
        if (timestamp.getSeconds() < MIN_SECONDS || timestamp.getSeconds() > MAX_SECONDS
                || timestamp.getNanos() < 0 || timestamp.getNanos() > 999_999_999) {
            throw new InvalidParameterException(reason, field, field + " {seconds: " + timestamp.getSeconds() + ", nanos: "
                    + timestamp.getNanos() + "} is out of range: expected 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z,"
                    + " nanos 0..999999999");
        }
        return Optional.of(Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos()));
    }

    /** About 10,000 years either way: the range protobuf's Duration can express. */
    static final long MAX_DURATION_SECONDS = 315_576_000_000L;

    /**
     * The duration of a message field that may be unset, checked before it is converted, as {@link #instant} does
     * for Timestamps: seconds within protobuf's range, nanos below a second and of the same sign.
     *
     * @throws InvalidParameterException naming {@code field}, with {@code reason}
     */
    static Optional<java.time.Duration> duration(String field, ErrorReason reason, boolean present, com.google.protobuf.Duration duration) {
        if (!present) {
            return Optional.empty();
        }
        long seconds = duration.getSeconds();
        int nanos = duration.getNanos();
        if (seconds < -MAX_DURATION_SECONDS || seconds > MAX_DURATION_SECONDS || nanos <= -1_000_000_000 || nanos >= 1_000_000_000
                || seconds > 0 && nanos < 0 || seconds < 0 && nanos > 0) {
            throw new InvalidParameterException(reason, field, field + " {seconds: " + seconds + ", nanos: " + nanos
                    + "} is not a valid Duration: expected seconds within ±315576000000 and nanos of the same sign, below a second");
        }
        return Optional.of(java.time.Duration.ofSeconds(seconds, nanos));
    }
}
