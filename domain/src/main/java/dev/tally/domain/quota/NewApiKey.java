package dev.tally.domain.quota;

import dev.tally.domain.common.ApiKeyValue;

/** An API key just created, with its value: the only time the value is returned. */
public record NewApiKey(ApiKey key, ApiKeyValue value) {
}
