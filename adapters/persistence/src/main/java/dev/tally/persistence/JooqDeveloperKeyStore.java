package dev.tally.persistence;

import static dev.tally.persistence.jooq.Tables.DEVELOPER_KEY;

import dev.tally.domain.access.DeveloperKey;
import dev.tally.domain.access.DeveloperKeyId;
import dev.tally.domain.access.StoredDeveloperCredential;
import dev.tally.domain.access.TokenDigest;
import dev.tally.domain.access.port.out.DeveloperKeyStore;
import dev.tally.domain.common.PageRequest;
import dev.tally.persistence.jooq.tables.records.DeveloperKeyRecord;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** Developer keys in the {@code developer_key} table. */
public final class JooqDeveloperKeyStore implements DeveloperKeyStore {

    private final Database database;

    public JooqDeveloperKeyStore(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    @Override
    public void insert(DeveloperKey key, TokenDigest digest) {
        database.write(tx -> insert(tx, key, digest));
    }

    @Override
    public boolean insertIfEmpty(DeveloperKey key, TokenDigest digest) {
        // Racing servers all insert the same fixed bootstrap id: the primary key lets exactly one win.
        return database.write(tx -> !tx.fetchExists(DEVELOPER_KEY) && insert(tx, key, digest) == 1);
    }

    private static int insert(DSLContext tx, DeveloperKey key, TokenDigest digest) {
        return tx.insertInto(DEVELOPER_KEY)
                .set(DEVELOPER_KEY.KEY_ID, key.id().value())
                .set(DEVELOPER_KEY.NAME, key.name())
                .set(DEVELOPER_KEY.TOKEN_LOOKUP, digest.lookup())
                .set(DEVELOPER_KEY.TOKEN_SHA256, digest.sha256())
                .set(DEVELOPER_KEY.CREATED_AT, Timestamps.millis(key.createdAt()))
                .set(DEVELOPER_KEY.REVOKED_AT, key.revokedAt().map(Timestamps::millis).orElse(null))
                .onConflictDoNothing()
                .execute();
    }

    @Override
    public Optional<DeveloperKey> find(DeveloperKeyId id) {
        return database.read().selectFrom(DEVELOPER_KEY).where(DEVELOPER_KEY.KEY_ID.eq(id.value()))
                .fetchOptional(JooqDeveloperKeyStore::toKey);
    }

    @Override
    public List<DeveloperKey> list(PageRequest request) {
        return database.read().selectFrom(DEVELOPER_KEY)
                .where(request.after().map(DEVELOPER_KEY.KEY_ID::gt).orElse(DSL.noCondition()))
                .orderBy(DEVELOPER_KEY.KEY_ID)
                .limit(request.size() + 1)
                .fetch(JooqDeveloperKeyStore::toKey);
    }

    @Override
    public List<StoredDeveloperCredential> findByLookup(String lookup) {
        return database.read().selectFrom(DEVELOPER_KEY).where(DEVELOPER_KEY.TOKEN_LOOKUP.eq(lookup))
                .fetch(r -> new StoredDeveloperCredential(new DeveloperKeyId(r.getKeyId()), r.getTokenSha256(),
                        r.getRevokedAt() == null));
    }

    @Override
    public RevokeOutcome revokeUnlessLast(DeveloperKeyId id, Instant now) {
        return database.write(tx -> {
            // Lock every active key first (row locks on PostgreSQL; SQLite's writer holds the database lock
            // already), so concurrent revocations take turns and the count below cannot go stale.
            tx.update(DEVELOPER_KEY).set(DEVELOPER_KEY.REVOKED_AT, DEVELOPER_KEY.REVOKED_AT)
                    .where(DEVELOPER_KEY.REVOKED_AT.isNull()).execute();
            DeveloperKeyRecord key = tx.selectFrom(DEVELOPER_KEY).where(DEVELOPER_KEY.KEY_ID.eq(id.value())).fetchOne();
            if (key == null) {
                return RevokeOutcome.NOT_FOUND;
            }
            if (key.getRevokedAt() != null) {
                return RevokeOutcome.ALREADY_REVOKED;
            }
            if (tx.fetchCount(DEVELOPER_KEY, DEVELOPER_KEY.REVOKED_AT.isNull()) <= 1) {
                return RevokeOutcome.LAST_ACTIVE;
            }
            tx.update(DEVELOPER_KEY).set(DEVELOPER_KEY.REVOKED_AT, Timestamps.millis(now))
                    .where(DEVELOPER_KEY.KEY_ID.eq(id.value())).execute();
            return RevokeOutcome.REVOKED;
        });
    }

    private static DeveloperKey toKey(DeveloperKeyRecord r) {
        return new DeveloperKey(new DeveloperKeyId(r.getKeyId()), r.getName(), Timestamps.instant(r.getCreatedAt()),
                Optional.ofNullable(r.getRevokedAt()).map(Timestamps::instant));
    }
}
