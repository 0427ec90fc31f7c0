package dev.tally.domain.access.port.out;

import dev.tally.domain.access.StoredIdentityToken;
import dev.tally.domain.common.IdentityId;
import dev.tally.domain.common.IdentityPoolId;
import java.time.Instant;
import java.util.List;

/** Where identity tokens live, as digests. */
public interface IdentityTokenStore {

    void insert(StoredIdentityToken token);

    /** Tokens whose digest starts with {@code lookup} (normally zero or one), expired ones included. */
    List<StoredIdentityToken> findByLookup(String lookup);

    /** Deletes every token of one identity; returns how many of them had not expired at {@code now}. */
    int deleteFor(IdentityPoolId pool, IdentityId identity, Instant now);

    /** Deletes every token the developer key {@code issuer} issued. */
    int deleteIssuedBy(String issuer);
}
