package dev.tally.domain.access;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** A developer key as stored: never its token, which exists only as a digest. */
public record DeveloperKey(DeveloperKeyId id, String name, Instant createdAt, Optional<Instant> revokedAt) {

    public DeveloperKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(revokedAt, "revokedAt");
    }

    public boolean active() {
        return revokedAt.isEmpty();
    }
}
