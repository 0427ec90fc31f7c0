package dev.tally.domain.access.port.out;

import dev.tally.domain.access.AccessKey;
import dev.tally.domain.access.StoredAccessKey;
import dev.tally.domain.common.PageRequest;
import java.util.List;
import java.util.Optional;

/** Where access keys live. Secrets exist here only sealed under the master key, which the store never sees. */
public interface AccessKeyStore {

    void insert(AccessKey key, byte[] sealedSecret);

    Optional<StoredAccessKey> find(String accessKeyId);

    /** Up to {@code request.size() + 1} keys of active developer keys with ids after the cursor, ordered by id. */
    List<AccessKey> list(PageRequest request);

    /** False when there was no such key. */
    boolean delete(String accessKeyId);
}
