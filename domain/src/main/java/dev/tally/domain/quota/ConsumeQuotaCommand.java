package dev.tally.domain.quota;

import dev.tally.domain.common.UsagePlanId;

/** ConsumeQuota: {@code cost} 0 means 1; {@code idempotencyKey} empty means none. */
public record ConsumeQuotaCommand(UsagePlanId plan, KeyReference key, long cost, String idempotencyKey) {
}
