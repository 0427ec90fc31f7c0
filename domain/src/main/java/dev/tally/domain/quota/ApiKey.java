package dev.tally.domain.quota;

import dev.tally.domain.common.ApiKeyId;
import java.time.Instant;
import java.util.Objects;

/** An API key as stored: its value exists only as a SHA-256 digest. */
public record ApiKey(ApiKeyId id, String name, String description, boolean enabled, Instant createdAt) {

    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
