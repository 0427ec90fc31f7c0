package dev.tally.domain.quota;

import dev.tally.domain.common.ApiKeyId;
import dev.tally.domain.common.Digests;
import dev.tally.domain.common.ApiKeyValue;

/** How a metered request names its API key: by id, or by the value the client sent. */
public sealed interface KeyReference {

    /** A stable, non-secret name of the reference, for idempotency scopes. */
    String target();

    /** The key by id. */
    record ById(ApiKeyId id) implements KeyReference {
        @Override
        public String target() {
            return "id:" + id.value();
        }
    }

    /** The key by value; only its digest is ever stored. */
    record ByValue(ApiKeyValue value) implements KeyReference {
        @Override
        public String target() {
            return "value:" + Digests.sha256(value.value());
        }
    }
}
