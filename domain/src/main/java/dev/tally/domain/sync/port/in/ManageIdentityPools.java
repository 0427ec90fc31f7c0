package dev.tally.domain.sync.port.in;

import dev.tally.domain.common.Caller;
import dev.tally.domain.common.IdentityId;
import dev.tally.domain.common.IdentityPoolId;
import dev.tally.domain.common.Page;
import dev.tally.domain.sync.IdentityPool;

/** Identity pools and their identities. Developers only (else PermissionDeniedException, NotAuthorizedException). */
public interface ManageIdentityPools {

    /**
     * Creates a pool named {@code name}: 1..128 characters of {@code [\w ]}.
     *
     * @throws dev.tally.domain.common.InvalidParameterException for a bad name
     */
    IdentityPool createPool(Caller caller, String name);

    /** Lists pools ordered by id; {@code pageSize} 0 means 25, at most 500. */
    Page<IdentityPool> listPools(Caller caller, int pageSize, String pageToken);

    /**
     * Creates an identity in {@code pool}.
     *
     * @throws dev.tally.domain.common.NotFoundException when the pool does not exist
     */
    IdentityId createIdentity(Caller caller, IdentityPoolId pool);
}
