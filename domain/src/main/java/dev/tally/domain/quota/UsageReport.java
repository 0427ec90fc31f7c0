package dev.tally.domain.quota;

import dev.tally.domain.common.ApiKeyId;
import dev.tally.domain.common.UsagePlanId;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** One page of GetUsage: each key of the page (in key-id order) to one entry per day of the range. */
public record UsageReport(UsagePlanId plan, LocalDate start, LocalDate end, String position,
                          Map<ApiKeyId, List<DailyUsage>> items) {
}
