package dev.tally.domain.access.port.out;

import dev.tally.domain.access.StoredIdentityToken;
import java.util.List;

/** Where identity tokens live, as digests. */
public interface IdentityTokenStore {

    void insert(StoredIdentityToken token);

    /** Tokens whose digest starts with {@code lookup} (normally zero or one), expired ones included. */
    List<StoredIdentityToken> findByLookup(String lookup);
}
