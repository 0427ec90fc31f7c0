package dev.tally.domain.sync;

import dev.tally.domain.common.IdentityId;
import java.time.Instant;
import java.util.Objects;

/** A dataset and its running aggregates, kept up to date by every write so reads never count records. */
public record Dataset(IdentityId identity, DatasetName name, Instant created, Instant lastModified,
                      String lastModifiedBy, long dataStorage, long numRecords, long syncCount) {

    public Dataset {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(lastModified, "lastModified");
        Objects.requireNonNull(lastModifiedBy, "lastModifiedBy");
    }
}
