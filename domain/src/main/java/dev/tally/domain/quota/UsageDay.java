package dev.tally.domain.quota;

import dev.tally.domain.common.ApiKeyId;
import java.time.LocalDate;
import java.util.OptionalLong;

/**
 * One stored counter row: a key's requests on one day, and, when an UpdateUsage happened that day, the
 * adjustment to the period's allowance it left in effect.
 */
public record UsageDay(ApiKeyId key, LocalDate day, long used, OptionalLong adjustment) {
}
