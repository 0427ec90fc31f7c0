package dev.tally.domain.sync;

import dev.tally.domain.common.IdentityId;
import dev.tally.domain.common.IdentityPoolId;

/** ListRecords: records of a dataset changed after {@code lastSyncCount}; an empty session token starts a session. */
public record ListRecordsQuery(IdentityPoolId pool, IdentityId identity, DatasetName dataset, long lastSyncCount,
                               String nextToken, int maxResults, String sessionToken) {
}
