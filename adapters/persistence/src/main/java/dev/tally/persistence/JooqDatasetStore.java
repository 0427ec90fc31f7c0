package dev.tally.persistence;

import static dev.tally.persistence.jooq.Tables.DATASET;
import static dev.tally.persistence.jooq.Tables.IDENTITY;
import static dev.tally.persistence.jooq.Tables.IDENTITY_POOL;
import static dev.tally.persistence.jooq.Tables.SYNC_RECORD;

import dev.tally.domain.common.Digests;
import dev.tally.domain.common.IdentityId;
import dev.tally.domain.common.IdentityPoolId;
import dev.tally.domain.common.NotFoundException;
import dev.tally.domain.common.PageRequest;
import dev.tally.domain.common.ResourceConflictException;
import dev.tally.domain.common.TallyException;
import dev.tally.domain.sync.Dataset;
import dev.tally.domain.sync.DatasetName;
import dev.tally.domain.sync.DatasetState;
import dev.tally.domain.sync.DatasetWrite;
import dev.tally.domain.sync.IdentityPoolUsage;
import dev.tally.domain.sync.IdentityUsage;
import dev.tally.domain.sync.Record;
import dev.tally.domain.sync.port.out.DatasetStore;
import dev.tally.persistence.jooq.tables.records.DatasetRecord;
import dev.tally.persistence.jooq.tables.records.SyncRecordRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

/** Datasets and records in {@code dataset} and {@code sync_record}, with the identity and pool aggregates. */
public final class JooqDatasetStore implements DatasetStore {

    private final Database database;
    // The two usage reads, rendered once (see HotQuery).
    private final HotQuery identityUsage;
    private final HotQuery poolUsage;

    public JooqDatasetStore(Database database) {
        this.database = Objects.requireNonNull(database, "database");
        this.identityUsage = database.hotQuery(DSL.select(DSL.coalesce(IDENTITY.LAST_MODIFIED_AT, IDENTITY.CREATED_AT),
                        IDENTITY.DATASET_COUNT, IDENTITY.DATA_STORAGE)
                .from(IDENTITY)
                .where(IDENTITY.IDENTITY_ID.eq(DSL.param("identity", IDENTITY.IDENTITY_ID)))
                .and(IDENTITY.POOL_ID.eq(DSL.param("pool", IDENTITY.POOL_ID))), "pool", "identity");
        this.poolUsage = database.hotQuery(DSL.select(IDENTITY_POOL.SYNC_SESSIONS_COUNT, IDENTITY_POOL.DATA_STORAGE,
                        DSL.coalesce(IDENTITY_POOL.LAST_MODIFIED_AT, IDENTITY_POOL.CREATED_AT), IDENTITY_POOL.NAME)
                .from(IDENTITY_POOL)
                .where(IDENTITY_POOL.POOL_ID.eq(DSL.param("pool", IDENTITY_POOL.POOL_ID))), "pool");
    }

    @Override
    public Optional<IdentityUsage> identityUsage(IdentityPoolId pool, IdentityId identity) {
        return database.localReads().read(identityOwner(identity), new IdentityUsageOf(pool, identity), () -> identityUsage.first(database,
                row -> new IdentityUsage(identity, pool, Timestamps.instant(row.getLong(1)), row.getLong(2), row.getLong(3)),
                pool.value(), identity.value()));
    }

    /** An identity's usage as kept by {@link LocalReads}. */
    private record IdentityUsageOf(IdentityPoolId pool, IdentityId identity) {
    }

    /** A pool's usage as kept by {@link LocalReads}. */
    private record PoolUsageOf(IdentityPoolId pool) {
    }

    /** What a write to an identity's datasets (or its creation) changes, for {@link LocalReads}. */
    static String identityOwner(IdentityId identity) {
        return "identity/" + identity.value();
    }

    /** What a write to any dataset of a pool, a sync session, or the pool's creation changes, for {@link LocalReads}. */
    static String poolOwner(IdentityPoolId pool) {
        return "pool/" + pool.value();
    }

    /** Bytes of records stored across every pool (each pool keeps its own total), for the metrics. */
    public long storedBytes() {
        Long total = database.read().select(DSL.coalesce(DSL.sum(IDENTITY_POOL.DATA_STORAGE), java.math.BigDecimal.ZERO))
                .from(IDENTITY_POOL).fetchOne(0, Long.class);
        return total == null ? 0 : total;
    }

    @Override
    public Optional<IdentityPoolUsage> poolUsage(IdentityPoolId pool) {
        return database.localReads().read(poolOwner(pool), new PoolUsageOf(pool), () -> poolUsage.first(database, row -> {
            long syncSessions = row.getLong(1);
            OptionalLong counted = row.wasNull() ? OptionalLong.empty() : OptionalLong.of(syncSessions);
            return new IdentityPoolUsage(pool, row.getString(4), counted, row.getLong(2), Timestamps.instant(row.getLong(3)));
        }, pool.value()));
    }

    @Override
    public List<IdentityPoolUsage> poolUsages(PageRequest request) {
        return database.read().select(IDENTITY_POOL.POOL_ID, IDENTITY_POOL.SYNC_SESSIONS_COUNT, IDENTITY_POOL.DATA_STORAGE,
                        DSL.coalesce(IDENTITY_POOL.LAST_MODIFIED_AT, IDENTITY_POOL.CREATED_AT), IDENTITY_POOL.NAME)
                .from(IDENTITY_POOL)
                .where(request.after().map(IDENTITY_POOL.POOL_ID::gt).orElse(DSL.noCondition()))
                .orderBy(IDENTITY_POOL.POOL_ID)
                .limit(request.size() + 1)
                .fetch(r -> new IdentityPoolUsage(new IdentityPoolId(r.value1()), r.value5(),
                        r.value2() == null ? OptionalLong.empty() : OptionalLong.of(r.value2()), r.value3(), Timestamps.instant(r.value4())));
    }

    @Override
    public List<IdentityUsage> largestIdentities(IdentityPoolId pool, int limit) {
        return database.read().select(IDENTITY.IDENTITY_ID, DSL.coalesce(IDENTITY.LAST_MODIFIED_AT, IDENTITY.CREATED_AT),
                        IDENTITY.DATASET_COUNT, IDENTITY.DATA_STORAGE)
                .from(IDENTITY)
                .where(IDENTITY.POOL_ID.eq(pool.value()))
                .orderBy(IDENTITY.DATA_STORAGE.desc(), IDENTITY.IDENTITY_ID)
                .limit(limit)
                .fetch(r -> new IdentityUsage(new IdentityId(r.value1()), pool, Timestamps.instant(r.value2()), r.value3(), r.value4()));
    }

    @Override
    public void countSyncSession(IdentityPoolId pool) {
        database.localReads().changing(poolOwner(pool), () -> database.write(tx -> tx.update(IDENTITY_POOL)
                .set(IDENTITY_POOL.SYNC_SESSIONS_COUNT, DSL.coalesce(IDENTITY_POOL.SYNC_SESSIONS_COUNT, 0L).plus(1))
                .where(IDENTITY_POOL.POOL_ID.eq(pool.value()))
                .execute()));
    }

    /** Runs a write to one identity's datasets: afterwards the identity's and the pool's kept usage is stale. */
    private <T> T changing(IdentityPoolId pool, IdentityId identity, Supplier<T> write) {
        return database.localReads().changing(poolOwner(pool), () -> database.localReads().changing(identityOwner(identity), write));
    }

    @Override
    public Optional<Dataset> dataset(IdentityId identity, DatasetName name) {
        return dataset(database.read(), identity, name);
    }

    @Override
    public List<Record> changedRecords(IdentityId identity, DatasetName name, long afterSyncCount, PageRequest request) {
        return database.read().selectFrom(SYNC_RECORD)
                .where(recordsOf(identity, name))
                .and(SYNC_RECORD.CHANGED_AT_SYNC.gt(afterSyncCount))
                .and(request.after().map(SYNC_RECORD.RECORD_KEY::gt).orElse(DSL.noCondition()))
                .orderBy(SYNC_RECORD.RECORD_KEY)
                .limit(request.size() + 1)
                .fetch(JooqDatasetStore::toRecord);
    }

    @Override
    public List<Dataset> datasets(IdentityId identity, PageRequest request) {
        return database.read().selectFrom(DATASET)
                .where(DATASET.IDENTITY_ID.eq(identity.value()))
                .and(request.after().map(DATASET.NAME::gt).orElse(DSL.noCondition()))
                .orderBy(DATASET.NAME)
                .limit(request.size() + 1)
                .fetch(JooqDatasetStore::toDataset);
    }

    @Override
    public List<Record> update(IdentityPoolId pool, IdentityId identity, DatasetName name, List<String> keys,
                               Function<DatasetState, DatasetWrite> decide) {
        return changing(pool, identity, () -> database.write(tx -> {
            if (!lockIdentity(tx, pool, identity)) {
                throw new NotFoundException("identity_id", "identity '" + identity + "' does not exist in pool '" + pool + "'");
            }
            long datasetCount = tx.select(IDENTITY.DATASET_COUNT).from(IDENTITY)
                    .where(IDENTITY.IDENTITY_ID.eq(identity.value())).fetchSingle().value1();
            Optional<Dataset> before = dataset(tx, identity, name);
            Map<String, Record> existing = keys.isEmpty() ? Map.of() : tx.selectFrom(SYNC_RECORD)
                    .where(recordsOf(identity, name))
                    .and(SYNC_RECORD.KEY_SHA256.in(keys.stream().map(Digests::sha256).toList()))
                    .fetch(JooqDatasetStore::toRecord).stream()
                    .collect(Collectors.toMap(Record::key, Function.identity()));

            DatasetWrite write = decide.apply(new DatasetState(before, datasetCount, existing));

            writeDataset(tx, write, before);
            for (Record removed : write.removed()) {
                guard(removed.key(), tx.deleteFrom(SYNC_RECORD).where(recordIs(identity, name, removed.key()))
                        .and(SYNC_RECORD.SYNC_COUNT.eq(removed.syncCount())).execute());
            }
            for (Record stored : write.stored()) {
                guard(stored.key(), stored.syncCount() == 1 ? insertRecord(tx, identity, name, stored)
                        : updateRecord(tx, identity, name, stored));
            }
            Instant now = write.after().lastModified();
            tx.update(IDENTITY)
                    .set(IDENTITY.DATA_STORAGE, IDENTITY.DATA_STORAGE.plus(write.storageDelta()))
                    .set(IDENTITY.DATASET_COUNT, IDENTITY.DATASET_COUNT.plus(write.created() ? 1 : 0))
                    .set(IDENTITY.LAST_MODIFIED_AT, latest(IDENTITY.LAST_MODIFIED_AT, now))
                    .where(IDENTITY.IDENTITY_ID.eq(identity.value()))
                    .execute();
            touchPool(tx, pool, write.storageDelta(), now);
            return write.stored();
        }));
    }

    @Override
    public Optional<Dataset> delete(IdentityPoolId pool, IdentityId identity, DatasetName name, Instant now) {
        return changing(pool, identity, () -> database.write(tx -> {
            if (!lockIdentity(tx, pool, identity)) {
                return Optional.empty();
            }
            Optional<Dataset> deleted = dataset(tx, identity, name);
            deleted.ifPresent(dataset -> {
                tx.deleteFrom(SYNC_RECORD).where(recordsOf(identity, name)).execute();
                tx.deleteFrom(DATASET).where(DATASET.IDENTITY_ID.eq(identity.value()), DATASET.NAME.eq(name.value())).execute();
                tx.update(IDENTITY)
                        .set(IDENTITY.DATA_STORAGE, IDENTITY.DATA_STORAGE.minus(dataset.dataStorage()))
                        .set(IDENTITY.DATASET_COUNT, IDENTITY.DATASET_COUNT.minus(1))
                        .set(IDENTITY.LAST_MODIFIED_AT, latest(IDENTITY.LAST_MODIFIED_AT, now))
                        .where(IDENTITY.IDENTITY_ID.eq(identity.value()))
                        .execute();
                touchPool(tx, pool, -dataset.dataStorage(), now);
            });
            return deleted;
        }));
    }

    /**
     * Takes the identity's row lock (PostgreSQL; SQLite's writer holds the database lock already), so that
     * concurrent writers of one identity take turns and every check made after this stays true until commit.
     */
    private static boolean lockIdentity(DSLContext tx, IdentityPoolId pool, IdentityId identity) {
        return tx.update(IDENTITY).set(IDENTITY.DATASET_COUNT, IDENTITY.DATASET_COUNT).where(identityIs(pool, identity)).execute() == 1;
    }

    private static void writeDataset(DSLContext tx, DatasetWrite write, Optional<Dataset> before) {
        Dataset after = write.after();
        if (before.isEmpty()) {
            tx.insertInto(DATASET)
                    .set(DATASET.IDENTITY_ID, after.identity().value())
                    .set(DATASET.NAME, after.name().value())
                    .set(DATASET.CREATED_AT, Timestamps.millis(after.created()))
                    .set(DATASET.LAST_MODIFIED_AT, Timestamps.millis(after.lastModified()))
                    .set(DATASET.LAST_MODIFIED_BY, after.lastModifiedBy())
                    .set(DATASET.DATA_STORAGE, after.dataStorage())
                    .set(DATASET.NUM_RECORDS, after.numRecords())
                    .set(DATASET.SYNC_COUNT, after.syncCount())
                    .execute();
            return;
        }
        int updated = tx.update(DATASET)
                .set(DATASET.LAST_MODIFIED_AT, Timestamps.millis(after.lastModified()))
                .set(DATASET.LAST_MODIFIED_BY, after.lastModifiedBy())
                .set(DATASET.DATA_STORAGE, after.dataStorage())
                .set(DATASET.NUM_RECORDS, after.numRecords())
                .set(DATASET.SYNC_COUNT, after.syncCount())
                .where(DATASET.IDENTITY_ID.eq(after.identity().value()), DATASET.NAME.eq(after.name().value()))
                .and(DATASET.SYNC_COUNT.eq(before.get().syncCount()))
                .execute();
        guard(after.name().value(), updated);
    }

    private static int insertRecord(DSLContext tx, IdentityId identity, DatasetName name, Record record) {
        return tx.insertInto(SYNC_RECORD)
                .set(SYNC_RECORD.IDENTITY_ID, identity.value())
                .set(SYNC_RECORD.DATASET_NAME, name.value())
                .set(SYNC_RECORD.KEY_SHA256, Digests.sha256(record.key()))
                .set(SYNC_RECORD.RECORD_KEY, record.key())
                .set(SYNC_RECORD.RECORD_VALUE, record.value())
                .set(SYNC_RECORD.SYNC_COUNT, record.syncCount())
                .set(SYNC_RECORD.CHANGED_AT_SYNC, record.changedAtSync())
                .set(SYNC_RECORD.LAST_MODIFIED_AT, Timestamps.millis(record.lastModified()))
                .set(SYNC_RECORD.LAST_MODIFIED_BY, record.lastModifiedBy())
                .set(SYNC_RECORD.DEVICE_LAST_MODIFIED_AT, record.deviceLastModified().map(Timestamps::millis).orElse(null))
                .onConflictDoNothing()
                .execute();
    }

    private static int updateRecord(DSLContext tx, IdentityId identity, DatasetName name, Record record) {
        return tx.update(SYNC_RECORD)
                .set(SYNC_RECORD.RECORD_VALUE, record.value())
                .set(SYNC_RECORD.SYNC_COUNT, record.syncCount())
                .set(SYNC_RECORD.CHANGED_AT_SYNC, record.changedAtSync())
                .set(SYNC_RECORD.LAST_MODIFIED_AT, Timestamps.millis(record.lastModified()))
                .set(SYNC_RECORD.LAST_MODIFIED_BY, record.lastModifiedBy())
                .set(SYNC_RECORD.DEVICE_LAST_MODIFIED_AT, record.deviceLastModified().map(Timestamps::millis).orElse(null))
                .where(recordIs(identity, name, record.key()))
                .and(SYNC_RECORD.SYNC_COUNT.eq(record.syncCount() - 1))
                .execute();
    }

    private static void touchPool(DSLContext tx, IdentityPoolId pool, long storageDelta, Instant now) {
        tx.update(IDENTITY_POOL)
                .set(IDENTITY_POOL.DATA_STORAGE, IDENTITY_POOL.DATA_STORAGE.plus(storageDelta))
                .set(IDENTITY_POOL.LAST_MODIFIED_AT, latest(IDENTITY_POOL.LAST_MODIFIED_AT, now))
                .where(IDENTITY_POOL.POOL_ID.eq(pool.value()))
                .execute();
    }

    /** The later of a nullable stored time and {@code now}: a server with a lagging clock never moves it back. */
    private static Field<Long> latest(Field<Long> stored, Instant now) {
        long millis = Timestamps.millis(now);
        return DSL.greatest(DSL.coalesce(stored, millis), DSL.val(millis));
    }

    /** A conditional write that matched nothing means a concurrent writer got there first. */
    private static void guard(String key, int rowsWritten) {
        if (rowsWritten != 1) {
            throw new ResourceConflictException("record_patches", "record " + TallyException.quote(key)
                    + " was changed concurrently: list the records again and retry");
        }
    }

    private static Optional<Dataset> dataset(DSLContext context, IdentityId identity, DatasetName name) {
        return context.selectFrom(DATASET).where(DATASET.IDENTITY_ID.eq(identity.value()), DATASET.NAME.eq(name.value()))
                .fetchOptional(JooqDatasetStore::toDataset);
    }

    private static Condition identityIs(IdentityPoolId pool, IdentityId identity) {
        return IDENTITY.IDENTITY_ID.eq(identity.value()).and(IDENTITY.POOL_ID.eq(pool.value()));
    }

    private static Condition recordsOf(IdentityId identity, DatasetName name) {
        return SYNC_RECORD.IDENTITY_ID.eq(identity.value()).and(SYNC_RECORD.DATASET_NAME.eq(name.value()));
    }

    private static Condition recordIs(IdentityId identity, DatasetName name, String key) {
        return recordsOf(identity, name).and(SYNC_RECORD.KEY_SHA256.eq(Digests.sha256(key)));
    }

    private static Dataset toDataset(DatasetRecord r) {
        return new Dataset(new IdentityId(r.getIdentityId()), new DatasetName(r.getName()), Timestamps.instant(r.getCreatedAt()),
                Timestamps.instant(r.getLastModifiedAt()), r.getLastModifiedBy(), r.getDataStorage(), r.getNumRecords(),
                r.getSyncCount());
    }

    private static Record toRecord(SyncRecordRecord r) {
        return new Record(r.getRecordKey(), r.getRecordValue(), r.getSyncCount(), r.getChangedAtSync(),
                Timestamps.instant(r.getLastModifiedAt()), r.getLastModifiedBy(),
                Optional.ofNullable(r.getDeviceLastModifiedAt()).map(Timestamps::instant));
    }
}
