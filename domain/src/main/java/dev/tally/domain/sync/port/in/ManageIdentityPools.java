package dev.tally.domain.sync.port.in;

import dev.tally.domain.common.Caller;
import dev.tally.domain.common.IdentityId;
import dev.tally.domain.common.IdentityPoolId;
import dev.tally.domain.common.Page;
import dev.tally.domain.sync.IdentityDescription;
import dev.tally.domain.sync.IdentityPool;

/**
 * Identity pools and their identities. Developers only (else PermissionDeniedException, NotAuthorizedException);
 * an unknown pool or identity is NotFoundException (ResourceNotFoundException).
 */
public interface ManageIdentityPools {

    /**
     * Creates a pool named {@code name}: 1..128 characters of letters, digits, spaces and {@code _+=,.@-}.
     *
     * @throws dev.tally.domain.common.InvalidParameterException for a bad name
     */
    IdentityPool createPool(Caller caller, String name);

    IdentityPool describePool(Caller caller, IdentityPoolId pool);

    /** Lists pools ordered by id; {@code pageSize} 0 means 25, at most 500. */
    Page<IdentityPool> listPools(Caller caller, int pageSize, String pageToken);

    /**
     * Deletes a pool for good with everything in it: its identities, their tokens and credentials, datasets,
     * records and usage, in one transaction.
     */
    void deletePool(Caller caller, IdentityPoolId pool);

    /**
     * Creates an identity in {@code pool}.
     *
     * @throws dev.tally.domain.common.NotFoundException when the pool does not exist
     */
    IdentityId createIdentity(Caller caller, IdentityPoolId pool);

    /** Lists a pool's identities ordered by id; {@code pageSize} 0 means 25, at most 500. */
    Page<IdentityDescription> listIdentities(Caller caller, IdentityPoolId pool, int pageSize, String pageToken);

    /** One identity, found by its id alone (ids are unique across pools). */
    IdentityDescription describeIdentity(Caller caller, IdentityId identity);
}
