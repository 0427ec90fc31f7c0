package dev.tally.domain.sync.port.out;

import dev.tally.domain.common.IdentityId;
import dev.tally.domain.common.IdentityPoolId;
import dev.tally.domain.common.PageRequest;
import dev.tally.domain.sync.Dataset;
import dev.tally.domain.sync.DatasetName;
import dev.tally.domain.sync.DatasetState;
import dev.tally.domain.sync.DatasetWrite;
import dev.tally.domain.sync.IdentityPoolUsage;
import dev.tally.domain.sync.IdentityUsage;
import dev.tally.domain.sync.Record;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Datasets, records, and the per-dataset, per-identity and per-pool aggregates, which every write keeps up
 * to date in its own transaction.
 */
public interface DatasetStore {

    /** The identity's aggregates; empty when the identity does not exist in that pool. */
    Optional<IdentityUsage> identityUsage(IdentityPoolId pool, IdentityId identity);

    /** The pool's aggregates; empty when the pool does not exist. */
    Optional<IdentityPoolUsage> poolUsage(IdentityPoolId pool);

    /** Up to {@code request.size() + 1} pools' aggregates with pool ids after the cursor, ordered by pool id. */
    List<IdentityPoolUsage> poolUsages(PageRequest request);

    /** Up to {@code limit} identities of the pool storing the most bytes, the largest first. */
    List<IdentityUsage> largestIdentities(IdentityPoolId pool, int limit);

    /** Counts one more sync session started in the pool. */
    void countSyncSession(IdentityPoolId pool);

    Optional<Dataset> dataset(IdentityId identity, DatasetName name);

    /** Up to {@code request.size() + 1} records changed after {@code afterSyncCount}, ordered by key, after the cursor key. */
    List<Record> changedRecords(IdentityId identity, DatasetName name, long afterSyncCount, PageRequest request);

    /** Up to {@code request.size() + 1} datasets ordered by name, after the cursor name. */
    List<Dataset> datasets(IdentityId identity, PageRequest request);

    /**
     * In one transaction that holds the identity against concurrent writers: reads the {@link DatasetState}
     * of {@code keys}, asks {@code decide} what to write, and writes it, each record only if it is still at
     * the sync count that was decided on (else ResourceConflictException, and nothing is written).
     *
     * @return the records stored
     * @throws dev.tally.domain.common.NotFoundException when the identity does not exist in the pool
     */
    List<Record> update(IdentityPoolId pool, IdentityId identity, DatasetName name, List<String> keys,
                        Function<DatasetState, DatasetWrite> decide);

    /** Deletes the dataset and its records, updating the aggregates; returns it as it was, or empty if absent. */
    Optional<Dataset> delete(IdentityPoolId pool, IdentityId identity, DatasetName name, Instant now);
}
