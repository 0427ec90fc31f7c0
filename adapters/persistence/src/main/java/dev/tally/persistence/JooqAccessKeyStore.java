package dev.tally.persistence;

import static dev.tally.persistence.jooq.Tables.ACCESS_KEY;
import static dev.tally.persistence.jooq.Tables.DEVELOPER_KEY;

import dev.tally.domain.access.AccessKey;
import dev.tally.domain.access.DeveloperKeyId;
import dev.tally.domain.access.StoredAccessKey;
import dev.tally.domain.access.port.out.AccessKeyStore;
import dev.tally.domain.common.PageRequest;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jooq.Record;
import org.jooq.impl.DSL;

/** Access keys in the {@code access_key} table; secrets only as sealed by the domain, in base64. */
public final class JooqAccessKeyStore implements AccessKeyStore {

    private final Database database;

    public JooqAccessKeyStore(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    @Override
    public void insert(AccessKey key, byte[] sealedSecret) {
        database.write(tx -> tx.insertInto(ACCESS_KEY)
                .set(ACCESS_KEY.ACCESS_KEY_ID, key.id())
                .set(ACCESS_KEY.DEVELOPER_KEY_ID, key.developerKey().value())
                .set(ACCESS_KEY.DESCRIPTION, key.description())
                .set(ACCESS_KEY.SECRET_SEALED, Base64.getEncoder().encodeToString(sealedSecret))
                .set(ACCESS_KEY.CREATED_AT, Timestamps.millis(key.createdAt()))
                .execute());
    }

    @Override
    public Optional<StoredAccessKey> find(String accessKeyId) {
        return database.read().select(ACCESS_KEY.fields()).select(DEVELOPER_KEY.REVOKED_AT)
                .from(ACCESS_KEY).join(DEVELOPER_KEY).on(DEVELOPER_KEY.KEY_ID.eq(ACCESS_KEY.DEVELOPER_KEY_ID))
                .where(ACCESS_KEY.ACCESS_KEY_ID.eq(accessKeyId))
                .fetchOptional(r -> new StoredAccessKey(toKey(r), Base64.getDecoder().decode(r.get(ACCESS_KEY.SECRET_SEALED)),
                        r.get(DEVELOPER_KEY.REVOKED_AT) == null));
    }

    @Override
    public List<AccessKey> list(PageRequest request) {
        return database.read().select(ACCESS_KEY.fields())
                .from(ACCESS_KEY).join(DEVELOPER_KEY).on(DEVELOPER_KEY.KEY_ID.eq(ACCESS_KEY.DEVELOPER_KEY_ID))
                .where(DEVELOPER_KEY.REVOKED_AT.isNull())
                .and(request.after().map(ACCESS_KEY.ACCESS_KEY_ID::gt).orElse(DSL.noCondition()))
                .orderBy(ACCESS_KEY.ACCESS_KEY_ID)
                .limit(request.size() + 1)
                .fetch(JooqAccessKeyStore::toKey);
    }

    @Override
    public boolean delete(String accessKeyId) {
        return database.write(tx -> tx.deleteFrom(ACCESS_KEY).where(ACCESS_KEY.ACCESS_KEY_ID.eq(accessKeyId)).execute()) == 1;
    }

    private static AccessKey toKey(Record r) {
        return new AccessKey(r.get(ACCESS_KEY.ACCESS_KEY_ID), r.get(ACCESS_KEY.DESCRIPTION),
                new DeveloperKeyId(r.get(ACCESS_KEY.DEVELOPER_KEY_ID)), Timestamps.instant(r.get(ACCESS_KEY.CREATED_AT)));
    }
}
