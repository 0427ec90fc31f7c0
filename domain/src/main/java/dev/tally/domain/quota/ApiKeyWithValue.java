package dev.tally.domain.quota;

import dev.tally.domain.common.ApiKeyValue;
import java.util.Objects;
import java.util.Optional;

/** An API key, with its value when the caller asked for it and the store kept it. */
public record ApiKeyWithValue(ApiKey key, Optional<ApiKeyValue> value) {

    public ApiKeyWithValue {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }
}
