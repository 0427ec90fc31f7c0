package dev.tally.domain.access.port.in;

import dev.tally.domain.access.AccessKey;
import dev.tally.domain.access.NewAccessKey;
import dev.tally.domain.common.Caller;
import dev.tally.domain.common.Page;

/**
 * Access keys for the AWS endpoint: create, list, delete. Developers only (else PermissionDeniedException,
 * AccessDeniedException).
 */
public interface ManageAccessKeys {

    /** Creates a key acting as the caller's developer key; the result carries the secret, shown only here. */
    NewAccessKey createAccessKey(Caller caller, String description);

    /** Lists the access keys of active developer keys, ordered by id; {@code pageSize} 0 means 25, at most 500. */
    Page<AccessKey> listAccessKeys(Caller caller, int pageSize, String pageToken);

    /** @throws dev.tally.domain.common.NotFoundException for an unknown key */
    void deleteAccessKey(Caller caller, String accessKeyId);
}
