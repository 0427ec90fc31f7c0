package dev.tally.domain.sync;

import dev.tally.domain.common.IdentityId;
import dev.tally.domain.common.LimitExceededException;
import dev.tally.domain.common.ResourceConflictException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rule of UpdateRecords: every patch's sync count must equal the stored one (0 for a new key), and the
 * dataset must stay within 1024 records and 1 MB, the identity within 20 datasets. All patches are decided
 * together; any broken rule rejects the whole update, so nothing is written.
 */
public final class DatasetUpdate {

    private DatasetUpdate() {
    }

    public static DatasetWrite decide(IdentityId identity, DatasetName name, List<RecordPatch> patches, DatasetState state,
                                      Instant now, String modifiedBy) {
        boolean created = state.dataset().isEmpty();
        if (created && state.identityDatasetCount() >= SyncLimits.MAX_DATASETS_PER_IDENTITY) {
            throw new LimitExceededException("dataset_name", "identity already has " + SyncLimits.MAX_DATASETS_PER_IDENTITY
                    + " datasets, the most allowed; dataset '" + name + "' cannot be created");
        }
        Dataset before = state.dataset().orElse(new Dataset(identity, name, now, now, modifiedBy, 0, 0, 0));
        long syncCount = before.syncCount() + 1;
        long records = before.numRecords();
        long storage = before.dataStorage();
        List<Record> stored = new ArrayList<>();
        List<Record> removed = new ArrayList<>();
        for (int i = 0; i < patches.size(); i++) {
            RecordPatch patch = patches.get(i);
            Optional<Record> current = Optional.ofNullable(state.existing().get(patch.key()));
            long storedSyncCount = current.map(Record::syncCount).orElse(0L);
            if (patch.syncCount() != storedSyncCount) {
                throw new ResourceConflictException("record_patches[" + i + "].sync_count", "record "
                        + dev.tally.domain.common.TallyException.quote(patch.key()) + " is at sync_count " + storedSyncCount
                        + ", not " + patch.syncCount() + ": list the records again and retry");
            }
            if (current.isPresent()) {
                records--;
                storage -= current.get().size();
            }
            if (patch.op() == RecordPatch.Operation.REPLACE) {
                Record record = new Record(patch.key(), patch.value(), storedSyncCount + 1, syncCount, now, modifiedBy,
                        patch.deviceLastModified());
                stored.add(record);
                records++;
                storage += record.size();
            } else if (current.isPresent()) {
                removed.add(current.get());
            }
        }
        if (records > SyncLimits.MAX_RECORDS_PER_DATASET) {
            throw new LimitExceededException("record_patches", "dataset '" + name + "' would hold " + records
                    + " records; at most " + SyncLimits.MAX_RECORDS_PER_DATASET + " are allowed");
        }
        if (storage > SyncLimits.MAX_BYTES_PER_DATASET) {
            throw new LimitExceededException("record_patches", "dataset '" + name + "' would hold " + storage
                    + " bytes; at most " + SyncLimits.MAX_BYTES_PER_DATASET + " are allowed");
        }
        Dataset after = new Dataset(identity, name, before.created(), now, modifiedBy, storage, records, syncCount);
        return new DatasetWrite(after, created, stored, removed, storage - before.dataStorage());
    }
}
