package dev.tally.persistence;

import static dev.tally.persistence.jooq.Tables.DATASET;
import static dev.tally.persistence.jooq.Tables.IDENTITY;
import static dev.tally.persistence.jooq.Tables.IDENTITY_POOL;
import static dev.tally.persistence.jooq.Tables.IDENTITY_POOL_USAGE;
import static dev.tally.persistence.jooq.Tables.IDENTITY_TOKEN;
import static dev.tally.persistence.jooq.Tables.SYNC_RECORD;

import dev.tally.domain.access.port.out.IdentityDirectory;
import dev.tally.domain.common.IdentityId;
import dev.tally.domain.common.IdentityPoolId;
import dev.tally.domain.common.NotFoundException;
import dev.tally.domain.common.PageRequest;
import dev.tally.domain.sync.IdentityDescription;
import dev.tally.domain.sync.IdentityPool;
import dev.tally.persistence.jooq.tables.records.IdentityPoolRecord;
import dev.tally.domain.sync.port.out.IdentityRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jooq.Record4;
import org.jooq.impl.DSL;

/** Identity pools and identities in the {@code identity_pool} and {@code identity} tables. */
public final class JooqIdentityRegistry implements IdentityRegistry, IdentityDirectory {

    private final Database database;

    public JooqIdentityRegistry(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    @Override
    public void insertPool(IdentityPool pool) {
        database.localReads().changing(JooqDatasetStore.poolOwner(pool.id()), () -> database.write(tx -> tx.insertInto(IDENTITY_POOL)
                .set(IDENTITY_POOL.POOL_ID, pool.id().value())
                .set(IDENTITY_POOL.NAME, pool.name())
                .set(IDENTITY_POOL.CREATED_AT, Timestamps.millis(pool.createdAt()))
                .execute()));
    }

    @Override
    public List<IdentityPool> listPools(PageRequest request) {
        return database.read().selectFrom(IDENTITY_POOL)
                .where(request.after().map(IDENTITY_POOL.POOL_ID::gt).orElse(DSL.noCondition()))
                .orderBy(IDENTITY_POOL.POOL_ID)
                .limit(request.size() + 1)
                .fetch(JooqIdentityRegistry::pool);
    }

    @Override
    public Optional<IdentityPool> pool(IdentityPoolId pool) {
        return database.read().selectFrom(IDENTITY_POOL).where(IDENTITY_POOL.POOL_ID.eq(pool.value()))
                .fetchOptional(JooqIdentityRegistry::pool);
    }

    private static IdentityPool pool(IdentityPoolRecord r) {
        return new IdentityPool(new IdentityPoolId(r.getPoolId()), r.getName(), Timestamps.instant(r.getCreatedAt()));
    }

    @Override
    public boolean deletePool(IdentityPoolId pool) {
        return database.localReads().changingAll(() -> database.write(tx -> {
            // Hold the pool's identities first, as a sync write does (identity, then pool): a write racing the
            // deletion either lands before it, and is deleted with the rest, or waits and finds no identity.
            tx.update(IDENTITY).set(IDENTITY.DATASET_COUNT, IDENTITY.DATASET_COUNT).where(IDENTITY.POOL_ID.eq(pool.value())).execute();
            var identities = DSL.select(IDENTITY.IDENTITY_ID).from(IDENTITY).where(IDENTITY.POOL_ID.eq(pool.value()));
            tx.deleteFrom(SYNC_RECORD).where(SYNC_RECORD.IDENTITY_ID.in(identities)).execute();
            tx.deleteFrom(DATASET).where(DATASET.IDENTITY_ID.in(identities)).execute();
            tx.deleteFrom(IDENTITY_TOKEN).where(IDENTITY_TOKEN.IDENTITY_ID.in(identities)).execute();
            tx.deleteFrom(IDENTITY).where(IDENTITY.POOL_ID.eq(pool.value())).execute();
            tx.deleteFrom(IDENTITY_POOL_USAGE).where(IDENTITY_POOL_USAGE.POOL_ID.eq(pool.value())).execute();
            return tx.deleteFrom(IDENTITY_POOL).where(IDENTITY_POOL.POOL_ID.eq(pool.value())).execute() == 1;
        }));
    }

    @Override
    public boolean poolExists(IdentityPoolId pool) {
        return database.read().fetchExists(IDENTITY_POOL, IDENTITY_POOL.POOL_ID.eq(pool.value()));
    }

    @Override
    public boolean identityExists(IdentityPoolId pool, IdentityId identity) {
        return database.read().fetchExists(IDENTITY,
                IDENTITY.IDENTITY_ID.eq(identity.value()).and(IDENTITY.POOL_ID.eq(pool.value())));
    }

    @Override
    public void insertIdentity(IdentityPoolId pool, IdentityId identity, Instant createdAt) {
        database.localReads().changing(JooqDatasetStore.identityOwner(identity), () -> database.write(tx -> {
            if (!tx.fetchExists(IDENTITY_POOL, IDENTITY_POOL.POOL_ID.eq(pool.value()))) {
                throw new NotFoundException("identity_pool_id", "identity pool '" + pool + "' does not exist");
            }
            return tx.insertInto(IDENTITY)
                    .set(IDENTITY.IDENTITY_ID, identity.value())
                    .set(IDENTITY.POOL_ID, pool.value())
                    .set(IDENTITY.CREATED_AT, Timestamps.millis(createdAt))
                    .execute();
        }));
    }

    @Override
    public Optional<IdentityDescription> identity(IdentityId identity) {
        return database.read().select(IDENTITY.IDENTITY_ID, IDENTITY.POOL_ID, IDENTITY.CREATED_AT,
                        DSL.coalesce(IDENTITY.LAST_MODIFIED_AT, IDENTITY.CREATED_AT))
                .from(IDENTITY).where(IDENTITY.IDENTITY_ID.eq(identity.value()))
                .fetchOptional(JooqIdentityRegistry::description);
    }

    @Override
    public List<IdentityDescription> listIdentities(IdentityPoolId pool, PageRequest request) {
        return database.read().select(IDENTITY.IDENTITY_ID, IDENTITY.POOL_ID, IDENTITY.CREATED_AT,
                        DSL.coalesce(IDENTITY.LAST_MODIFIED_AT, IDENTITY.CREATED_AT))
                .from(IDENTITY)
                .where(IDENTITY.POOL_ID.eq(pool.value()))
                .and(request.after().map(IDENTITY.IDENTITY_ID::gt).orElse(DSL.noCondition()))
                .orderBy(IDENTITY.IDENTITY_ID)
                .limit(request.size() + 1)
                .fetch(JooqIdentityRegistry::description);
    }

    private static IdentityDescription description(Record4<String, String, Long, Long> r) {
        return new IdentityDescription(new IdentityId(r.value1()), new IdentityPoolId(r.value2()), Timestamps.instant(r.value3()),
                Timestamps.instant(r.value4()));
    }
}
