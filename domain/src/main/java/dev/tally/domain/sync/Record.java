package dev.tally.domain.sync;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A stored record. {@code syncCount} is the record's own version (each accepted update raises it by one);
 * {@code changedAtSync} is the dataset sync count of the update that last changed it, which ListRecords
 * compares with {@code last_sync_count}.
 */
public record Record(String key, String value, long syncCount, long changedAtSync, Instant lastModified,
                     String lastModifiedBy, Optional<Instant> deviceLastModified) {

    public Record {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(lastModified, "lastModified");
        Objects.requireNonNull(lastModifiedBy, "lastModifiedBy");
        Objects.requireNonNull(deviceLastModified, "deviceLastModified");
    }

    /** Bytes the record takes: UTF-8 bytes of its key plus UTF-8 bytes of its value. */
    public long size() {
        return SyncLimits.size(key, value);
    }
}
