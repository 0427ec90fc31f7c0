package dev.tally.domain.quota;

import dev.tally.domain.common.ApiKeyId;
import dev.tally.domain.common.UsagePlanId;
import java.util.Optional;

/** GetUsage's request, with its dates still as the caller sent them (validated by the service). */
public record UsageQuery(UsagePlanId plan, Optional<ApiKeyId> key, String startDate, String endDate, String position, int limit) {
}
