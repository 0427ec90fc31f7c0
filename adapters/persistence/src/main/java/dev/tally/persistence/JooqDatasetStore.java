package dev.tally.persistence;

import static dev.tally.persistence.jooq.Tables.DATASET;
import static dev.tally.persistence.jooq.Tables.IDENTITY;
import static dev.tally.persistence.jooq.Tables.IDENTITY_POOL;
import static dev.tally.persistence.jooq.Tables.IDENTITY_POOL_USAGE;
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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Param;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * Datasets and records in {@code dataset} and {@code sync_record}, with the identity aggregates and the pool's
 * in stripes ({@code identity_pool_usage}, V14). UpdateRecords, the write path, runs only statements rendered
 * once ({@link HotQuery}), its records in one batch each way.
 */
public final class JooqDatasetStore implements DatasetStore {

    // A pool's usage, summed over its stripes: sessions stay NULL until the first is counted in any stripe.
    private static final Field<Long> POOL_SYNC_SESSIONS = DSL.sum(IDENTITY_POOL_USAGE.SYNC_SESSIONS_COUNT).cast(SQLDataType.BIGINT);
    private static final Field<Long> POOL_DATA_STORAGE =
            DSL.coalesce(DSL.sum(IDENTITY_POOL_USAGE.DATA_STORAGE).cast(SQLDataType.BIGINT), DSL.inline(0L));
    private static final Field<Long> POOL_LAST_MODIFIED = DSL.coalesce(DSL.max(IDENTITY_POOL_USAGE.LAST_MODIFIED_AT), IDENTITY_POOL.CREATED_AT);
    /** A record's columns in the order {@link #record(ResultSet)} reads them. */
    private static final List<Field<?>> RECORD_COLUMNS = List.of(SYNC_RECORD.RECORD_KEY, SYNC_RECORD.RECORD_VALUE, SYNC_RECORD.SYNC_COUNT,
            SYNC_RECORD.CHANGED_AT_SYNC, SYNC_RECORD.LAST_MODIFIED_AT, SYNC_RECORD.LAST_MODIFIED_BY, SYNC_RECORD.DEVICE_LAST_MODIFIED_AT);
    /** A dataset's columns in the order {@link #dataset(ResultSet)} reads them. */
    private static final List<Field<?>> DATASET_COLUMNS = List.of(DATASET.IDENTITY_ID, DATASET.NAME, DATASET.CREATED_AT,
            DATASET.LAST_MODIFIED_AT, DATASET.LAST_MODIFIED_BY, DATASET.DATA_STORAGE, DATASET.NUM_RECORDS, DATASET.SYNC_COUNT);

    private final Database database;
    // The two usage reads and the write path, rendered once (see HotQuery).
    private final HotQuery identityUsage;
    private final HotQuery poolUsage;
    private final HotQuery lockIdentity;
    private final HotQuery datasetOf;
    private final HotQuery insertDataset;
    private final HotQuery updateDataset;
    private final HotQuery storeRecord;
    private final HotQuery removeRecord;
    private final HotQuery addToIdentity;
    private final HotQuery addToPool;
    private final HotQuery countSession;
    /** The read of a dataset's records by key, rendered once for each number of keys asked for. */
    private final Map<Integer, HotQuery> recordsByKeys = new ConcurrentHashMap<>();

    public JooqDatasetStore(Database database) {
        this.database = Objects.requireNonNull(database, "database");
        Param<String> pool = DSL.param("pool", IDENTITY.POOL_ID);
        Param<String> identity = DSL.param("identity", IDENTITY.IDENTITY_ID);
        Param<String> dataset = DSL.param("dataset", DATASET.NAME);
        Param<Long> now = DSL.param("now", SQLDataType.BIGINT);
        Param<Long> delta = DSL.param("delta", SQLDataType.BIGINT);
        this.identityUsage = database.hotQuery(DSL.select(DSL.coalesce(IDENTITY.LAST_MODIFIED_AT, IDENTITY.CREATED_AT),
                        IDENTITY.DATASET_COUNT, IDENTITY.DATA_STORAGE)
                .from(IDENTITY)
                .where(IDENTITY.IDENTITY_ID.eq(identity))
                .and(IDENTITY.POOL_ID.eq(pool)), "pool", "identity");
        this.poolUsage = database.hotQuery(DSL.select(POOL_SYNC_SESSIONS, POOL_DATA_STORAGE, POOL_LAST_MODIFIED, IDENTITY_POOL.NAME)
                .from(IDENTITY_POOL)
                .leftJoin(IDENTITY_POOL_USAGE).on(IDENTITY_POOL_USAGE.POOL_ID.eq(IDENTITY_POOL.POOL_ID))
                .where(IDENTITY_POOL.POOL_ID.eq(pool))
                .groupBy(IDENTITY_POOL.POOL_ID, IDENTITY_POOL.NAME, IDENTITY_POOL.CREATED_AT), "pool");
        // Takes the identity's row lock (PostgreSQL; SQLite's writer holds the database lock already), so that
        // concurrent writers of one identity take turns and every check made after it stays true until commit.
        this.lockIdentity = database.hotQuery(DSL.update(IDENTITY).set(IDENTITY.DATASET_COUNT, IDENTITY.DATASET_COUNT)
                .where(IDENTITY.IDENTITY_ID.eq(identity)).and(IDENTITY.POOL_ID.eq(pool))
                .returningResult(IDENTITY.DATASET_COUNT), "pool", "identity");
        this.datasetOf = database.hotQuery(DSL.select(DATASET_COLUMNS).from(DATASET)
                .where(DATASET.IDENTITY_ID.eq(identity)).and(DATASET.NAME.eq(dataset)), "identity", "dataset");
        this.insertDataset = database.hotQuery(DSL.insertInto(DATASET)
                .set(DATASET.IDENTITY_ID, identity)
                .set(DATASET.NAME, dataset)
                .set(DATASET.CREATED_AT, DSL.param("created", SQLDataType.BIGINT))
                .set(DATASET.LAST_MODIFIED_AT, now)
                .set(DATASET.LAST_MODIFIED_BY, DSL.param("by", DATASET.LAST_MODIFIED_BY))
                .set(DATASET.DATA_STORAGE, DSL.param("storage", SQLDataType.BIGINT))
                .set(DATASET.NUM_RECORDS, DSL.param("records", SQLDataType.BIGINT))
                .set(DATASET.SYNC_COUNT, DSL.param("sync_count", SQLDataType.BIGINT)),
                "identity", "dataset", "created", "now", "by", "storage", "records", "sync_count");
        this.updateDataset = database.hotQuery(DSL.update(DATASET)
                .set(DATASET.LAST_MODIFIED_AT, now)
                .set(DATASET.LAST_MODIFIED_BY, DSL.param("by", DATASET.LAST_MODIFIED_BY))
                .set(DATASET.DATA_STORAGE, DSL.param("storage", SQLDataType.BIGINT))
                .set(DATASET.NUM_RECORDS, DSL.param("records", SQLDataType.BIGINT))
                .set(DATASET.SYNC_COUNT, DSL.param("sync_count", SQLDataType.BIGINT))
                .where(DATASET.IDENTITY_ID.eq(identity), DATASET.NAME.eq(dataset))
                .and(DATASET.SYNC_COUNT.eq(DSL.param("before", SQLDataType.BIGINT))),
                "identity", "dataset", "now", "by", "storage", "records", "sync_count", "before");
        // A new record (sync count 1) is inserted; a changed one is updated only while it is still at the sync count
        // before this change. Either way exactly one row changes, or a concurrent writer got there first.
        Param<Long> syncCount = DSL.param("sync_count", SQLDataType.BIGINT);
        this.storeRecord = database.hotQuery(DSL.insertInto(SYNC_RECORD)
                .set(SYNC_RECORD.IDENTITY_ID, identity)
                .set(SYNC_RECORD.DATASET_NAME, dataset)
                .set(SYNC_RECORD.KEY_SHA256, DSL.param("key_sha256", SYNC_RECORD.KEY_SHA256))
                .set(SYNC_RECORD.RECORD_KEY, DSL.param("key", SYNC_RECORD.RECORD_KEY))
                .set(SYNC_RECORD.RECORD_VALUE, DSL.param("value", SYNC_RECORD.RECORD_VALUE))
                .set(SYNC_RECORD.SYNC_COUNT, syncCount)
                .set(SYNC_RECORD.CHANGED_AT_SYNC, DSL.param("changed_at", SQLDataType.BIGINT))
                .set(SYNC_RECORD.LAST_MODIFIED_AT, now)
                .set(SYNC_RECORD.LAST_MODIFIED_BY, DSL.param("by", SYNC_RECORD.LAST_MODIFIED_BY))
                .set(SYNC_RECORD.DEVICE_LAST_MODIFIED_AT, DSL.param("device_at", SQLDataType.BIGINT))
                .onConflict(SYNC_RECORD.IDENTITY_ID, SYNC_RECORD.DATASET_NAME, SYNC_RECORD.KEY_SHA256)
                .doUpdate()
                .set(SYNC_RECORD.RECORD_VALUE, DSL.excluded(SYNC_RECORD.RECORD_VALUE))
                .set(SYNC_RECORD.SYNC_COUNT, DSL.excluded(SYNC_RECORD.SYNC_COUNT))
                .set(SYNC_RECORD.CHANGED_AT_SYNC, DSL.excluded(SYNC_RECORD.CHANGED_AT_SYNC))
                .set(SYNC_RECORD.LAST_MODIFIED_AT, DSL.excluded(SYNC_RECORD.LAST_MODIFIED_AT))
                .set(SYNC_RECORD.LAST_MODIFIED_BY, DSL.excluded(SYNC_RECORD.LAST_MODIFIED_BY))
                .set(SYNC_RECORD.DEVICE_LAST_MODIFIED_AT, DSL.excluded(SYNC_RECORD.DEVICE_LAST_MODIFIED_AT))
                .where(SYNC_RECORD.SYNC_COUNT.eq(DSL.excluded(SYNC_RECORD.SYNC_COUNT).minus(DSL.inline(1L)))),
                "identity", "dataset", "key_sha256", "key", "value", "sync_count", "changed_at", "now", "by", "device_at");
        this.removeRecord = database.hotQuery(DSL.deleteFrom(SYNC_RECORD)
                .where(SYNC_RECORD.IDENTITY_ID.eq(identity), SYNC_RECORD.DATASET_NAME.eq(dataset))
                .and(SYNC_RECORD.KEY_SHA256.eq(DSL.param("key_sha256", SYNC_RECORD.KEY_SHA256)))
                .and(SYNC_RECORD.SYNC_COUNT.eq(syncCount)), "identity", "dataset", "key_sha256", "sync_count");
        this.addToIdentity = database.hotQuery(DSL.update(IDENTITY)
                .set(IDENTITY.DATA_STORAGE, IDENTITY.DATA_STORAGE.plus(delta))
                .set(IDENTITY.DATASET_COUNT, IDENTITY.DATASET_COUNT.plus(DSL.param("datasets", SQLDataType.BIGINT)))
                .set(IDENTITY.LAST_MODIFIED_AT, latest(IDENTITY.LAST_MODIFIED_AT, now))
                .where(IDENTITY.IDENTITY_ID.eq(identity)), "identity", "delta", "datasets", "now");
        Param<Integer> stripe = DSL.param("stripe", SQLDataType.INTEGER);
        this.addToPool = database.hotQuery(DSL.insertInto(IDENTITY_POOL_USAGE)
                .set(IDENTITY_POOL_USAGE.POOL_ID, pool)
                .set(IDENTITY_POOL_USAGE.STRIPE, stripe)
                .set(IDENTITY_POOL_USAGE.DATA_STORAGE, delta)
                .set(IDENTITY_POOL_USAGE.LAST_MODIFIED_AT, now)
                .onConflict(IDENTITY_POOL_USAGE.POOL_ID, IDENTITY_POOL_USAGE.STRIPE)
                .doUpdate()
                .set(IDENTITY_POOL_USAGE.DATA_STORAGE, IDENTITY_POOL_USAGE.DATA_STORAGE.plus(DSL.excluded(IDENTITY_POOL_USAGE.DATA_STORAGE)))
                .set(IDENTITY_POOL_USAGE.LAST_MODIFIED_AT, latest(IDENTITY_POOL_USAGE.LAST_MODIFIED_AT,
                        DSL.excluded(IDENTITY_POOL_USAGE.LAST_MODIFIED_AT))), "pool", "stripe", "delta", "now");
        this.countSession = database.hotQuery(DSL.insertInto(IDENTITY_POOL_USAGE)
                .set(IDENTITY_POOL_USAGE.POOL_ID, pool)
                .set(IDENTITY_POOL_USAGE.STRIPE, stripe)
                .set(IDENTITY_POOL_USAGE.SYNC_SESSIONS_COUNT, DSL.inline(1L))
                .onConflict(IDENTITY_POOL_USAGE.POOL_ID, IDENTITY_POOL_USAGE.STRIPE)
                .doUpdate()
                .set(IDENTITY_POOL_USAGE.SYNC_SESSIONS_COUNT, DSL.coalesce(IDENTITY_POOL_USAGE.SYNC_SESSIONS_COUNT, DSL.inline(0L))
                        .plus(DSL.inline(1L))), "pool", "stripe");
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
        Long total = database.read().select(DSL.coalesce(DSL.sum(IDENTITY_POOL_USAGE.DATA_STORAGE), java.math.BigDecimal.ZERO))
                .from(IDENTITY_POOL_USAGE).fetchOne(0, Long.class);
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
        return database.read().select(IDENTITY_POOL.POOL_ID, POOL_SYNC_SESSIONS, POOL_DATA_STORAGE, POOL_LAST_MODIFIED, IDENTITY_POOL.NAME)
                .from(IDENTITY_POOL)
                .leftJoin(IDENTITY_POOL_USAGE).on(IDENTITY_POOL_USAGE.POOL_ID.eq(IDENTITY_POOL.POOL_ID))
                .where(request.after().map(IDENTITY_POOL.POOL_ID::gt).orElse(DSL.noCondition()))
                .groupBy(IDENTITY_POOL.POOL_ID, IDENTITY_POOL.NAME, IDENTITY_POOL.CREATED_AT)
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
        database.localReads().changing(poolOwner(pool), () -> database.write(tx -> countSession.execute(tx, pool.value(), database.stripe())));
    }

    /** Runs a write to one identity's datasets: afterwards the identity's and the pool's kept usage is stale. */
    private <T> T changing(IdentityPoolId pool, IdentityId identity, Supplier<T> write) {
        return database.localReads().changing(poolOwner(pool), () -> database.localReads().changing(identityOwner(identity), write));
    }

    @Override
    public Optional<Dataset> dataset(IdentityId identity, DatasetName name) {
        return datasetOf.first(database.read(), JooqDatasetStore::dataset, identity.value(), name.value());
    }

    @Override
    public List<Record> changedRecords(IdentityId identity, DatasetName name, long afterSyncCount, PageRequest request) {
        return HotQuery.rows(database.read().select(RECORD_COLUMNS).from(SYNC_RECORD)
                .where(SYNC_RECORD.IDENTITY_ID.eq(identity.value()), SYNC_RECORD.DATASET_NAME.eq(name.value()))
                .and(SYNC_RECORD.CHANGED_AT_SYNC.gt(afterSyncCount))
                .and(request.after().map(SYNC_RECORD.RECORD_KEY::gt).orElse(DSL.noCondition()))
                .orderBy(SYNC_RECORD.RECORD_KEY)
                .limit(request.size() + 1).fetch(), JooqDatasetStore::record);
    }

    @Override
    public List<Dataset> datasets(IdentityId identity, PageRequest request) {
        return HotQuery.rows(database.read().select(DATASET_COLUMNS).from(DATASET)
                .where(DATASET.IDENTITY_ID.eq(identity.value()))
                .and(request.after().map(DATASET.NAME::gt).orElse(DSL.noCondition()))
                .orderBy(DATASET.NAME)
                .limit(request.size() + 1).fetch(), JooqDatasetStore::dataset);
    }

    @Override
    public List<Record> update(IdentityPoolId pool, IdentityId identity, DatasetName name, List<String> keys,
                               Function<DatasetState, DatasetWrite> decide) {
        return changing(pool, identity, () -> database.write(tx -> {
            long datasetCount = lockIdentity.first(tx, row -> row.getLong(1), pool.value(), identity.value()).orElseThrow(() ->
                    new NotFoundException("identity_id", "identity '" + identity + "' does not exist in pool '" + pool + "'"));
            Optional<Dataset> before = datasetOf.first(tx, JooqDatasetStore::dataset, identity.value(), name.value());
            Map<String, Record> existing = keys.isEmpty() ? Map.of() : records(tx, identity, name, keys);

            DatasetWrite write = decide.apply(new DatasetState(before, datasetCount, existing));

            writeDataset(tx, write, before);
            if (!write.removed().isEmpty()) {
                guard(write.removed(), removeRecord.executeBatch(tx, write.removed().stream().map(removed -> new Object[] {
                        identity.value(), name.value(), Digests.sha256(removed.key()), removed.syncCount()}).toList()));
            }
            if (!write.stored().isEmpty()) {
                guard(write.stored(), storeRecord.executeBatch(tx, write.stored().stream().map(stored -> new Object[] {
                        identity.value(), name.value(), Digests.sha256(stored.key()), stored.key(), stored.value(), stored.syncCount(),
                        stored.changedAtSync(), Timestamps.millis(stored.lastModified()), stored.lastModifiedBy(),
                        stored.deviceLastModified().map(Timestamps::millis).orElse(null)}).toList()));
            }
            long now = Timestamps.millis(write.after().lastModified());
            addToIdentity.execute(tx, identity.value(), write.storageDelta(), write.created() ? 1L : 0L, now);
            addToPool.execute(tx, pool.value(), database.stripe(), write.storageDelta(), now);
            return write.stored();
        }));
    }

    /** The dataset's records under {@code keys}, by key: one read, rendered once for each number of keys. */
    private Map<String, Record> records(DSLContext tx, IdentityId identity, DatasetName name, List<String> keys) {
        HotQuery query = recordsByKeys.computeIfAbsent(keys.size(), count -> {
            List<String> parameters = new ArrayList<>(List.of("identity", "dataset"));
            List<Param<String>> digests = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                parameters.add("k" + i);
                digests.add(DSL.param("k" + i, SYNC_RECORD.KEY_SHA256));
            }
            return database.hotQuery(DSL.select(RECORD_COLUMNS).from(SYNC_RECORD)
                    .where(SYNC_RECORD.IDENTITY_ID.eq(DSL.param("identity", SYNC_RECORD.IDENTITY_ID)))
                    .and(SYNC_RECORD.DATASET_NAME.eq(DSL.param("dataset", SYNC_RECORD.DATASET_NAME)))
                    .and(SYNC_RECORD.KEY_SHA256.in(digests)), parameters.toArray(String[]::new));
        });
        Object[] values = new Object[keys.size() + 2];
        values[0] = identity.value();
        values[1] = name.value();
        for (int i = 0; i < keys.size(); i++) {
            values[i + 2] = Digests.sha256(keys.get(i));
        }
        return query.list(tx, JooqDatasetStore::record, values).stream().collect(Collectors.toMap(Record::key, Function.identity()));
    }

    @Override
    public Optional<Dataset> delete(IdentityPoolId pool, IdentityId identity, DatasetName name, Instant now) {
        return changing(pool, identity, () -> database.write(tx -> {
            if (lockIdentity.first(tx, row -> row.getLong(1), pool.value(), identity.value()).isEmpty()) {
                return Optional.empty();
            }
            Optional<Dataset> deleted = datasetOf.first(tx, JooqDatasetStore::dataset, identity.value(), name.value());
            deleted.ifPresent(dataset -> {
                tx.deleteFrom(SYNC_RECORD).where(SYNC_RECORD.IDENTITY_ID.eq(identity.value()), SYNC_RECORD.DATASET_NAME.eq(name.value())).execute();
                tx.deleteFrom(DATASET).where(DATASET.IDENTITY_ID.eq(identity.value()), DATASET.NAME.eq(name.value())).execute();
                addToIdentity.execute(tx, identity.value(), -dataset.dataStorage(), -1L, Timestamps.millis(now));
                addToPool.execute(tx, pool.value(), database.stripe(), -dataset.dataStorage(), Timestamps.millis(now));
            });
            return deleted;
        }));
    }

    private void writeDataset(DSLContext tx, DatasetWrite write, Optional<Dataset> before) {
        Dataset after = write.after();
        if (before.isEmpty()) {
            insertDataset.execute(tx, after.identity().value(), after.name().value(), Timestamps.millis(after.created()),
                    Timestamps.millis(after.lastModified()), after.lastModifiedBy(), after.dataStorage(), after.numRecords(), after.syncCount());
            return;
        }
        int updated = updateDataset.execute(tx, after.identity().value(), after.name().value(), Timestamps.millis(after.lastModified()),
                after.lastModifiedBy(), after.dataStorage(), after.numRecords(), after.syncCount(), before.get().syncCount());
        if (updated != 1) {
            throw concurrentChange(after.name().value());
        }
    }

    /** The later of a nullable stored time and {@code now}: a server with a lagging clock never moves it back. */
    private static Field<Long> latest(Field<Long> stored, Field<Long> now) {
        return DSL.greatest(DSL.coalesce(stored, now), now);
    }

    /** Conditional writes of records, one each, that did not all match: a concurrent writer got there first. */
    private static void guard(List<Record> records, int[] rowsWritten) {
        for (int i = 0; i < rowsWritten.length; i++) {
            if (rowsWritten[i] != 1) {
                throw concurrentChange(records.get(i).key());
            }
        }
    }

    private static ResourceConflictException concurrentChange(String key) {
        return new ResourceConflictException("record_patches", "record " + TallyException.quote(key)
                + " was changed concurrently: list the records again and retry");
    }

    private static Dataset dataset(ResultSet row) throws SQLException {
        return new Dataset(new IdentityId(row.getString(1)), new DatasetName(row.getString(2)), Timestamps.instant(row.getLong(3)),
                Timestamps.instant(row.getLong(4)), row.getString(5), row.getLong(6), row.getLong(7), row.getLong(8));
    }

    private static Record record(ResultSet row) throws SQLException {
        long deviceLastModified = row.getLong(7);
        Optional<Instant> device = row.wasNull() ? Optional.empty() : Optional.of(Timestamps.instant(deviceLastModified));
        return new Record(row.getString(1), row.getString(2), row.getLong(3), row.getLong(4), Timestamps.instant(row.getLong(5)),
                row.getString(6), device);
    }
}
