package dev.tally.domain.access.port.out;

import dev.tally.domain.common.IdentityId;
import dev.tally.domain.common.IdentityPoolId;

/** Answers whether an identity exists, so tokens are issued only for real identities. */
public interface IdentityDirectory {

    boolean poolExists(IdentityPoolId pool);

    boolean identityExists(IdentityPoolId pool, IdentityId identity);
}
