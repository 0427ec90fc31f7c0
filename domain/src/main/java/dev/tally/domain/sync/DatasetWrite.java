package dev.tally.domain.sync;

import java.util.List;

/**
 * What an accepted update writes: records to store (each with its new sync count; the stored one must
 * still be {@code syncCount - 1}, or absent for a new record at 1), records to remove (each must still be
 * at the sync count given), and the dataset's new aggregates.
 */
public record DatasetWrite(Dataset after, boolean created, List<Record> stored, List<Record> removed, long storageDelta) {

    public DatasetWrite {
        stored = List.copyOf(stored);
        removed = List.copyOf(removed);
    }
}
