package dev.tally.persistence;

import static dev.tally.persistence.jooq.Tables.IDENTITY_TOKEN;

import dev.tally.domain.access.IdentityCredential;
import dev.tally.domain.access.StoredIdentityToken;
import dev.tally.domain.access.TokenDigest;
import dev.tally.domain.access.port.out.IdentityTokenStore;
import dev.tally.domain.common.IdentityId;
import dev.tally.domain.common.IdentityPoolId;
import dev.tally.persistence.jooq.tables.records.IdentityTokenRecord;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Objects;

/** Identity tokens and their temporary AWS credentials in the {@code identity_token} table. */
public final class JooqIdentityTokenStore implements IdentityTokenStore {

    private final Database database;

    public JooqIdentityTokenStore(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    @Override
    public void insert(StoredIdentityToken token, String accessKeyId, byte[] sealedSecret) {
        database.write(tx -> tx.insertInto(IDENTITY_TOKEN)
                .set(IDENTITY_TOKEN.TOKEN_ID, token.tokenId())
                .set(IDENTITY_TOKEN.TOKEN_LOOKUP, token.digest().lookup())
                .set(IDENTITY_TOKEN.TOKEN_SHA256, token.digest().sha256())
                .set(IDENTITY_TOKEN.POOL_ID, token.pool().value())
                .set(IDENTITY_TOKEN.IDENTITY_ID, token.identity().value())
                .set(IDENTITY_TOKEN.CREATED_AT, Timestamps.millis(token.createdAt()))
                .set(IDENTITY_TOKEN.EXPIRES_AT, Timestamps.millis(token.expiresAt()))
                .set(IDENTITY_TOKEN.ISSUED_BY, token.issuedBy().orElse(null))
                .set(IDENTITY_TOKEN.ACCESS_KEY_ID, accessKeyId)
                .set(IDENTITY_TOKEN.SECRET_SEALED, Base64.getEncoder().encodeToString(sealedSecret))
                .execute());
    }

    @Override
    public List<StoredIdentityToken> findByLookup(String lookup) {
        return database.read().selectFrom(IDENTITY_TOKEN).where(IDENTITY_TOKEN.TOKEN_LOOKUP.eq(lookup))
                .fetch(JooqIdentityTokenStore::token);
    }

    @Override
    public Optional<IdentityCredential> findByAccessKey(String accessKeyId) {
        return database.read().selectFrom(IDENTITY_TOKEN).where(IDENTITY_TOKEN.ACCESS_KEY_ID.eq(accessKeyId))
                .fetchOptional(r -> new IdentityCredential(token(r), Base64.getDecoder().decode(r.getSecretSealed())));
    }

    private static StoredIdentityToken token(IdentityTokenRecord r) {
        return new StoredIdentityToken(r.getTokenId(), new TokenDigest(r.getTokenLookup(), r.getTokenSha256()),
                new IdentityPoolId(r.getPoolId()), new IdentityId(r.getIdentityId()),
                Timestamps.instant(r.getCreatedAt()), Timestamps.instant(r.getExpiresAt()), Optional.ofNullable(r.getIssuedBy()));
    }

    @Override
    public int deleteFor(IdentityPoolId pool, IdentityId identity, Instant now) {
        return database.write(tx -> {
            var ofIdentity = IDENTITY_TOKEN.POOL_ID.eq(pool.value()).and(IDENTITY_TOKEN.IDENTITY_ID.eq(identity.value()));
            int live = tx.fetchCount(IDENTITY_TOKEN, ofIdentity.and(IDENTITY_TOKEN.EXPIRES_AT.gt(Timestamps.millis(now))));
            tx.deleteFrom(IDENTITY_TOKEN).where(ofIdentity).execute();
            return live;
        });
    }

    @Override
    public int deleteIssuedBy(String issuer) {
        return database.write(tx -> tx.deleteFrom(IDENTITY_TOKEN).where(IDENTITY_TOKEN.ISSUED_BY.eq(issuer)).execute());
    }
}
