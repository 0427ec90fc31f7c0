package dev.tally.domain.access;

import dev.tally.domain.common.IdentityId;
import dev.tally.domain.common.IdentityPoolId;
import java.time.Instant;
import java.util.Optional;

/**
 * An identity token as stored: its digest, scope, expiry, and the developer key that issued it (empty for
 * tokens issued before issuers were kept).
 */
public record StoredIdentityToken(String tokenId, TokenDigest digest, IdentityPoolId pool, IdentityId identity,
                                  Instant createdAt, Instant expiresAt, Optional<String> issuedBy) {
}
