package dev.tally.domain.access.port.in;

import dev.tally.domain.access.DeveloperKey;
import dev.tally.domain.access.DeveloperKeyId;
import dev.tally.domain.access.NewDeveloperKey;
import dev.tally.domain.common.Caller;
import dev.tally.domain.common.Page;

/** Developer keys: create, list, revoke. Developers only (else PermissionDeniedException, AccessDeniedException). */
public interface ManageDeveloperKeys {

    /** Creates a key named {@code name} (1..128 characters); the result carries the token, shown only here. */
    NewDeveloperKey create(Caller caller, String name);

    /** Lists keys ordered by id; {@code pageSize} 0 means 25, at most 500. */
    Page<DeveloperKey> list(Caller caller, int pageSize, String pageToken);

    /**
     * Revokes a key; revoking a revoked key returns it unchanged.
     *
     * @throws dev.tally.domain.common.NotFoundException for an unknown key
     * @throws dev.tally.domain.common.FailedPreconditionException when it is the last active key
     */
    DeveloperKey revoke(Caller caller, DeveloperKeyId keyId);
}
