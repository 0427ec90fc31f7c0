package dev.tally.domain.access.port.out;

import dev.tally.domain.access.DeveloperKey;
import dev.tally.domain.access.DeveloperKeyId;
import dev.tally.domain.access.StoredDeveloperCredential;
import dev.tally.domain.access.TokenDigest;
import dev.tally.domain.common.PageRequest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where developer keys live. Tokens exist here only as {@link TokenDigest}s. */
public interface DeveloperKeyStore {

    /** The outcome of {@link #revokeUnlessLast}. */
    enum RevokeOutcome { REVOKED, ALREADY_REVOKED, NOT_FOUND, LAST_ACTIVE }

    void insert(DeveloperKey key, TokenDigest digest);

    /**
     * Inserts {@code key} only when the store holds no developer key at all, atomically with that check,
     * even with several servers on one database.
     *
     * @return whether the key was inserted
     */
    boolean insertIfEmpty(DeveloperKey key, TokenDigest digest);

    Optional<DeveloperKey> find(DeveloperKeyId id);

    /** Up to {@code request.size() + 1} keys with ids after the cursor, ordered by id. */
    List<DeveloperKey> list(PageRequest request);

    /** Credentials whose digest starts with {@code lookup} (normally zero or one). */
    List<StoredDeveloperCredential> findByLookup(String lookup);

    /**
     * Revokes {@code id} at {@code now} unless it is the last active key, in one atomic step: two
     * concurrent revocations of the last two keys never both succeed.
     */
    RevokeOutcome revokeUnlessLast(DeveloperKeyId id, Instant now);
}
