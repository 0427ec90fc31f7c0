package dev.tally.domain.sync;

import dev.tally.domain.common.IdentityPoolId;
import java.time.Instant;
import java.util.Objects;

/** An identity pool: a set of identities whose synced data Tally stores. */
public record IdentityPool(IdentityPoolId id, String name, Instant createdAt) {

    public IdentityPool {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
