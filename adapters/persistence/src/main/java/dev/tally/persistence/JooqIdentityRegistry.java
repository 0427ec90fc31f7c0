package dev.tally.persistence;

import static dev.tally.persistence.jooq.Tables.IDENTITY;
import static dev.tally.persistence.jooq.Tables.IDENTITY_POOL;

import dev.tally.domain.access.port.out.IdentityDirectory;
import dev.tally.domain.common.IdentityId;
import dev.tally.domain.common.IdentityPoolId;
import dev.tally.domain.common.NotFoundException;
import dev.tally.domain.common.PageRequest;
import dev.tally.domain.sync.IdentityPool;
import dev.tally.domain.sync.port.out.IdentityRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jooq.impl.DSL;

/** Identity pools and identities in the {@code identity_pool} and {@code identity} tables. */
public final class JooqIdentityRegistry implements IdentityRegistry, IdentityDirectory {

    private final Database database;

    public JooqIdentityRegistry(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    @Override
    public void insertPool(IdentityPool pool) {
        database.write(tx -> tx.insertInto(IDENTITY_POOL)
                .set(IDENTITY_POOL.POOL_ID, pool.id().value())
                .set(IDENTITY_POOL.NAME, pool.name())
                .set(IDENTITY_POOL.CREATED_AT, Timestamps.millis(pool.createdAt()))
                .execute());
    }

    @Override
    public List<IdentityPool> listPools(PageRequest request) {
        return database.read().selectFrom(IDENTITY_POOL)
                .where(request.after().map(IDENTITY_POOL.POOL_ID::gt).orElse(DSL.noCondition()))
                .orderBy(IDENTITY_POOL.POOL_ID)
                .limit(request.size() + 1)
                .fetch(r -> new IdentityPool(new IdentityPoolId(r.getPoolId()), r.getName(),
                        Timestamps.instant(r.getCreatedAt())));
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
        database.write(tx -> {
            if (!tx.fetchExists(IDENTITY_POOL, IDENTITY_POOL.POOL_ID.eq(pool.value()))) {
                throw new NotFoundException("identity_pool_id", "identity pool '" + pool + "' does not exist");
            }
            return tx.insertInto(IDENTITY)
                    .set(IDENTITY.IDENTITY_ID, identity.value())
                    .set(IDENTITY.POOL_ID, pool.value())
                    .set(IDENTITY.CREATED_AT, Timestamps.millis(createdAt))
                    .execute();
        });
    }
}
