package dev.tally.domain.access.port.out;

import dev.tally.domain.access.IdentityCredential;
import dev.tally.domain.access.StoredIdentityToken;
import dev.tally.domain.common.IdentityId;
import dev.tally.domain.common.IdentityPoolId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where identity tokens live, as digests, with their temporary AWS credentials (secrets sealed). */
public interface IdentityTokenStore {

    /** Stores a token and its credentials: {@code accessKeyId} ({@code ASIA...}) and the sealed secret. */
    void insert(StoredIdentityToken token, String accessKeyId, byte[] sealedSecret);

    /** Tokens whose digest starts with {@code lookup} (normally zero or one), expired ones included. */
    List<StoredIdentityToken> findByLookup(String lookup);

    /** The token whose credentials have this access key id, expired or not. */
    Optional<IdentityCredential> findByAccessKey(String accessKeyId);

    /** Deletes every token of one identity; returns how many of them had not expired at {@code now}. */
    int deleteFor(IdentityPoolId pool, IdentityId identity, Instant now);

    /** Deletes every token the developer key {@code issuer} issued. */
    int deleteIssuedBy(String issuer);
}
