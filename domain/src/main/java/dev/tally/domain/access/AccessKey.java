package dev.tally.domain.access;

import java.time.Instant;
import java.util.Objects;

/** An AWS-style access key: SigV4 credentials acting with the rights of one developer key. */
public record AccessKey(String id, String description, DeveloperKeyId developerKey, Instant createdAt) {

    public AccessKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(developerKey, "developerKey");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
