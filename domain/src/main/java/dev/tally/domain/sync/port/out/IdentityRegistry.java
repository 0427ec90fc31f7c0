package dev.tally.domain.sync.port.out;

import dev.tally.domain.common.IdentityId;
import dev.tally.domain.common.IdentityPoolId;
import dev.tally.domain.common.PageRequest;
import dev.tally.domain.sync.IdentityDescription;
import dev.tally.domain.sync.IdentityPool;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where identity pools and identities live. */
public interface IdentityRegistry {

    void insertPool(IdentityPool pool);

    Optional<IdentityPool> pool(IdentityPoolId pool);

    /** Up to {@code request.size() + 1} pools with ids after the cursor, ordered by id. */
    List<IdentityPool> listPools(PageRequest request);

    /**
     * Deletes the pool and everything in it (identities, their tokens, datasets and records) in one
     * transaction; false when there was no such pool.
     */
    boolean deletePool(IdentityPoolId pool);

    boolean poolExists(IdentityPoolId pool);

    boolean identityExists(IdentityPoolId pool, IdentityId identity);

    /**
     * Inserts an identity into an existing pool.
     *
     * @throws dev.tally.domain.common.NotFoundException when the pool does not exist (checked atomically with the insert)
     */
    void insertIdentity(IdentityPoolId pool, IdentityId identity, Instant createdAt);

    Optional<IdentityDescription> identity(IdentityId identity);

    /** Up to {@code request.size() + 1} identities of the pool with ids after the cursor, ordered by id. */
    List<IdentityDescription> listIdentities(IdentityPoolId pool, PageRequest request);
}
