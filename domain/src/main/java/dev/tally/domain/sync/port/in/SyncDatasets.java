package dev.tally.domain.sync.port.in;

import dev.tally.domain.common.Caller;
import dev.tally.domain.common.IdentityId;
import dev.tally.domain.common.IdentityPoolId;
import dev.tally.domain.common.Page;
import dev.tally.domain.sync.Dataset;
import dev.tally.domain.sync.DatasetName;
import dev.tally.domain.sync.ListRecordsQuery;
import dev.tally.domain.sync.ListRecordsResult;
import dev.tally.domain.sync.Record;
import dev.tally.domain.sync.UpdateRecordsCommand;
import java.util.List;

/**
 * Datasets and records of one identity. Callers: developers, or the identity token of that identity (any
 * other gets PermissionDeniedException, NotAuthorizedException). An unknown pool or identity is
 * NotFoundException (ResourceNotFoundException).
 */
public interface SyncDatasets {

    /** Records changed after the query's sync count, paged by key (max_results 0 means 100, at most 1024). */
    ListRecordsResult listRecords(Caller caller, ListRecordsQuery query);

    /**
     * Applies all patches in one transaction, creating the dataset if needed, and returns the stored records.
     *
     * @throws dev.tally.domain.common.InvalidParameterException for a bad patch or session token
     * @throws dev.tally.domain.common.ResourceConflictException for a stale sync count
     * @throws dev.tally.domain.common.LimitExceededException when a record, byte or dataset limit would be exceeded
     */
    List<Record> updateRecords(Caller caller, UpdateRecordsCommand command);

    /** Live datasets ordered by name; max_results 0 means 20, at most 64. */
    Page<Dataset> listDatasets(Caller caller, IdentityPoolId pool, IdentityId identity, String nextToken, int maxResults);

    /** One live dataset. Unknown dataset: NotFoundException. */
    Dataset describeDataset(Caller caller, IdentityPoolId pool, IdentityId identity, DatasetName dataset);

    /** Deletes a dataset and its records for good; returns it as it was. Unknown dataset: NotFoundException. */
    Dataset deleteDataset(Caller caller, IdentityPoolId pool, IdentityId identity, DatasetName dataset);
}
