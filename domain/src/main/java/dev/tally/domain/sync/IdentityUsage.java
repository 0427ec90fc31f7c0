package dev.tally.domain.sync;

import dev.tally.domain.common.IdentityId;
import dev.tally.domain.common.IdentityPoolId;
import java.time.Instant;

/** What one identity stores: live datasets, bytes of live records, and the last change (or its creation). */
public record IdentityUsage(IdentityId identity, IdentityPoolId pool, Instant lastModified, long datasetCount, long dataStorage) {
}
