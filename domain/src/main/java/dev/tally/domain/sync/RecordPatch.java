package dev.tally.domain.sync;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** One requested change: replace (create or overwrite) or remove the record under {@code key}. */
public record RecordPatch(Operation op, String key, String value, long syncCount, Optional<Instant> deviceLastModified) {

    /** What a patch does. */
    public enum Operation { REPLACE, REMOVE }

    public RecordPatch {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(deviceLastModified, "deviceLastModified");
    }
}
