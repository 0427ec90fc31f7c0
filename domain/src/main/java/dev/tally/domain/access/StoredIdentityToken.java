package dev.tally.domain.access;

import dev.tally.domain.common.IdentityId;
import dev.tally.domain.common.IdentityPoolId;
import java.time.Instant;

/** An identity token as stored: its digest, scope and expiry. */
public record StoredIdentityToken(String tokenId, TokenDigest digest, IdentityPoolId pool, IdentityId identity,
                                  Instant createdAt, Instant expiresAt) {
}
