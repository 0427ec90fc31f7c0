package dev.tally.domain.sync;

import static java.util.Objects.requireNonNull;

import dev.tally.domain.common.Telemetry;
import dev.tally.domain.common.Caller;
import dev.tally.domain.common.ErrorReason;
import dev.tally.domain.common.IdentityId;
import dev.tally.domain.common.IdentityPoolId;
import dev.tally.domain.common.InvalidParameterException;
import dev.tally.domain.common.NotFoundException;
import dev.tally.domain.common.Page;
import dev.tally.domain.common.PageRequest;
import dev.tally.domain.common.PageSpec;
import dev.tally.domain.common.PageTokens;
import dev.tally.domain.common.TallyException;
import dev.tally.domain.sync.port.in.DescribeSyncUsage;
import dev.tally.domain.sync.port.in.SyncDatasets;
import dev.tally.domain.sync.port.out.DatasetStore;
import dev.tally.domain.sync.port.out.IdentityRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Identity sync storage: sessions, records, datasets and the usage reads over their aggregates. */
public final class IdentitySyncService implements SyncDatasets, DescribeSyncUsage {

    static final PageSpec RECORDS_PAGE = new PageSpec("max_results", "next_token", 100, 1024, ErrorReason.INVALID_PARAMETER);
    /** As cognito-sync's ListIdentityPoolUsage: MaxResults defaults to 16, at most 60. */
    static final PageSpec POOL_USAGE_PAGE = new PageSpec("max_results", "next_token", 16, 60, ErrorReason.INVALID_PARAMETER);
    private static final String POOL_USAGE_SCOPE = "ListIdentityPoolUsage";
    static final PageSpec DATASETS_PAGE = new PageSpec("max_results", "next_token", 20, 64, ErrorReason.INVALID_PARAMETER);

    private final DatasetStore store;
    private final IdentityRegistry registry;
    private final SyncSessions sessions;
    private final PageTokens pageTokens;
    private final Clock clock;

    private final Telemetry telemetry;

    public IdentitySyncService(DatasetStore store, IdentityRegistry registry, SyncSessions sessions, PageTokens pageTokens,
                               Clock clock) {
        this(store, registry, sessions, pageTokens, clock, Telemetry.NONE);
    }

    public IdentitySyncService(DatasetStore store, IdentityRegistry registry, SyncSessions sessions, PageTokens pageTokens,
                               Clock clock, Telemetry telemetry) {
        this.telemetry = requireNonNull(telemetry, "telemetry");
        this.store = requireNonNull(store, "store");
        this.registry = requireNonNull(registry, "registry");
        this.sessions = requireNonNull(sessions, "sessions");
        this.pageTokens = requireNonNull(pageTokens, "pageTokens");
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public ListRecordsResult listRecords(Caller caller, ListRecordsQuery query) {
        if (query.lastSyncCount() < 0) {
            throw new InvalidParameterException("last_sync_count", "last_sync_count " + query.lastSyncCount() + " must not be negative");
        }
        String scope = "ListRecords/" + query.identity() + "/" + query.dataset() + "/" + query.lastSyncCount();
        PageRequest request = pageTokens.request(RECORDS_PAGE, scope, query.maxResults(), query.nextToken());
        caller.requireDeveloperOrSelf(query.pool(), query.identity(), ErrorReason.NOT_AUTHORIZED);
        boolean newSession = query.sessionToken() == null || query.sessionToken().isEmpty();
        if (!newSession) {
            sessions.verify(query.sessionToken(), query.pool(), query.identity(), query.dataset());
        }
        requireIdentity(query.pool(), query.identity());
        String session = query.sessionToken();
        if (newSession) {
            store.countSyncSession(query.pool());
            session = sessions.start(query.pool(), query.identity(), query.dataset());
        }
        // The dataset is read before its records: a change landing in between shows up in the records, and
        // the older dataset sync count only makes the client see it once more, never miss it.
        var dataset = store.dataset(query.identity(), query.dataset());
        List<Record> fetched = store.changedRecords(query.identity(), query.dataset(), query.lastSyncCount(), request);
        Page<Record> page = pageTokens.page(scope, request, fetched, Record::key);
        return new ListRecordsResult(page.items(), page.nextToken(), dataset.map(Dataset::syncCount).orElse(0L),
                dataset.isPresent(), session);
    }

    @Override
    public List<Record> updateRecords(Caller caller, UpdateRecordsCommand command) {
        validate(command);
        caller.requireDeveloperOrSelf(command.pool(), command.identity(), ErrorReason.NOT_AUTHORIZED);
        sessions.verify(command.sessionToken(), command.pool(), command.identity(), command.dataset());
        String modifiedBy = command.deviceId().isEmpty() ? command.identity().value() : command.deviceId();
        Instant now = now();
        List<String> keys = command.patches().stream().map(RecordPatch::key).toList();
        List<Record> written = store.update(command.pool(), command.identity(), command.dataset(), keys,
                state -> DatasetUpdate.decide(command.identity(), command.dataset(), command.patches(), state, now, modifiedBy));
        telemetry.recordsWritten(written.size());
        return written;
    }

    @Override
    public Page<Dataset> listDatasets(Caller caller, IdentityPoolId pool, IdentityId identity, String nextToken, int maxResults) {
        String scope = "ListDatasets/" + identity;
        PageRequest request = pageTokens.request(DATASETS_PAGE, scope, maxResults, nextToken);
        caller.requireDeveloperOrSelf(pool, identity, ErrorReason.NOT_AUTHORIZED);
        requireIdentity(pool, identity);
        return pageTokens.page(scope, request, store.datasets(identity, request), dataset -> dataset.name().value());
    }

    @Override
    public Dataset deleteDataset(Caller caller, IdentityPoolId pool, IdentityId identity, DatasetName dataset) {
        caller.requireDeveloperOrSelf(pool, identity, ErrorReason.NOT_AUTHORIZED);
        return store.delete(pool, identity, dataset, now()).orElseThrow(() -> {
            requireIdentity(pool, identity);
            return datasetNotFound(identity, dataset);
        });
    }

    @Override
    public IdentityUsage describeIdentityUsage(Caller caller, IdentityPoolId pool, IdentityId identity) {
        caller.requireDeveloperOrSelf(pool, identity, ErrorReason.NOT_AUTHORIZED);
        return store.identityUsage(pool, identity).orElseThrow(() -> identityNotFound(pool, identity));
    }

    @Override
    public IdentityPoolUsage describeIdentityPoolUsage(Caller caller, IdentityPoolId pool) {
        caller.requireDeveloper(ErrorReason.NOT_AUTHORIZED);
        return store.poolUsage(pool).orElseThrow(() -> NotFound.pool(pool));
    }

    @Override
    public Page<IdentityPoolUsage> listIdentityPoolUsage(Caller caller, int maxResults, String nextToken) {
        PageRequest request = pageTokens.request(POOL_USAGE_PAGE, POOL_USAGE_SCOPE, maxResults, nextToken);
        caller.requireDeveloper(ErrorReason.NOT_AUTHORIZED);
        return pageTokens.page(POOL_USAGE_SCOPE, request, store.poolUsages(request), usage -> usage.pool().value());
    }

    @Override
    public List<IdentityUsage> largestIdentities(Caller caller, IdentityPoolId pool) {
        caller.requireDeveloper(ErrorReason.NOT_AUTHORIZED);
        if (!registry.poolExists(pool)) {
            throw NotFound.pool(pool);
        }
        return store.largestIdentities(pool, 100);
    }

    @Override
    public Dataset describeDataset(Caller caller, IdentityPoolId pool, IdentityId identity, DatasetName dataset) {
        caller.requireDeveloperOrSelf(pool, identity, ErrorReason.NOT_AUTHORIZED);
        return store.dataset(identity, dataset).filter(found -> registry.identityExists(pool, identity)).orElseThrow(() -> {
            requireIdentity(pool, identity);
            return datasetNotFound(identity, dataset);
        });
    }

    private static NotFoundException datasetNotFound(IdentityId identity, DatasetName dataset) {
        return new NotFoundException("dataset_name", "dataset '" + dataset + "' does not exist for identity '" + identity + "'");
    }

    private void requireIdentity(IdentityPoolId pool, IdentityId identity) {
        if (!registry.identityExists(pool, identity)) {
            throw identityNotFound(pool, identity);
        }
    }

    private NotFoundException identityNotFound(IdentityPoolId pool, IdentityId identity) {
        if (!registry.poolExists(pool)) {
            return NotFound.pool(pool);
        }
        return new NotFoundException("identity_id", "identity '" + identity + "' does not exist in pool '" + pool + "'");
    }

    private static void validate(UpdateRecordsCommand command) {
        int deviceChars = command.deviceId().codePointCount(0, command.deviceId().length());
        if (deviceChars > SyncLimits.MAX_DEVICE_ID_CHARS) {
            throw new InvalidParameterException("device_id", "device_id is too long: expected at most "
                    + SyncLimits.MAX_DEVICE_ID_CHARS + " characters, got " + deviceChars);
        }
        if (command.patches().size() > SyncLimits.MAX_RECORDS_PER_DATASET) {
            throw new InvalidParameterException("record_patches", "record_patches has " + command.patches().size()
                    + " patches: expected at most " + SyncLimits.MAX_RECORDS_PER_DATASET + ", the records a dataset may hold");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < command.patches().size(); i++) {
            RecordPatch patch = command.patches().get(i);
            String field = "record_patches[" + i + "]";
            SyncLimits.requireKey(field + ".key", patch.key());
            SyncLimits.requireValue(field + ".value", patch.value());
            if (patch.syncCount() < 0) {
                throw new InvalidParameterException(field + ".sync_count", field + ".sync_count " + patch.syncCount()
                        + " must not be negative");
            }
            if (!seen.add(patch.key())) {
                throw new InvalidParameterException(field + ".key", field + ".key " + TallyException.quote(patch.key())
                        + " appears twice; patch each key at most once per call");
            }
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
