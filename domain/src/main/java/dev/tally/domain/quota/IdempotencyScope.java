package dev.tally.domain.quota;

import dev.tally.domain.common.UsagePlanId;
import java.util.Objects;

/**
 * Where an idempotency key applies: one RPC, one plan, one key (its id, or a digest of the value sent), and
 * a digest of the rest of the request, so that reusing a key for a different request can be refused.
 */
public record IdempotencyScope(String rpc, UsagePlanId plan, String target, String idempotencyKey, String requestHash) {

    public IdempotencyScope {
        Objects.requireNonNull(rpc, "rpc");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(requestHash, "requestHash");
    }
}
