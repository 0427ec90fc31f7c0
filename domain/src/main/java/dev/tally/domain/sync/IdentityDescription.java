package dev.tally.domain.sync;

import dev.tally.domain.common.IdentityId;
import dev.tally.domain.common.IdentityPoolId;
import java.time.Instant;
import java.util.Objects;

/** One identity as DescribeIdentity shows it: its pool, when it was created, and its last change (or its creation). */
public record IdentityDescription(IdentityId identity, IdentityPoolId pool, Instant createdAt, Instant lastModified) {

    public IdentityDescription {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastModified, "lastModified");
    }
}
