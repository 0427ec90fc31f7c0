package dev.tally.domain.sync;

import java.util.Map;
import java.util.Optional;

/**
 * What an update is decided on, read inside the write transaction: the dataset (empty when it does not
 * exist yet), how many live datasets the identity has, and the stored records of the patched keys.
 */
public record DatasetState(Optional<Dataset> dataset, long identityDatasetCount, Map<String, Record> existing) {

    public DatasetState {
        existing = Map.copyOf(existing);
    }
}
