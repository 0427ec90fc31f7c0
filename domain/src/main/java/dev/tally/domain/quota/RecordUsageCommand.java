package dev.tally.domain.quota;

import dev.tally.domain.common.ApiKeyId;
import dev.tally.domain.common.UsagePlanId;
import java.time.Instant;

/** RecordUsage: {@code count} requests that happened at {@code time}; {@code idempotencyKey} empty means none. */
public record RecordUsageCommand(UsagePlanId plan, ApiKeyId key, Instant time, long count, String idempotencyKey) {
}
