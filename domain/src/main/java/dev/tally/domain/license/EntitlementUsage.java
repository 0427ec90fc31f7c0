package dev.tally.domain.license;

import java.util.OptionalLong;

/** Consumption of one entitlement: consumed now, and its maximum (absent for unit NONE). */
public record EntitlementUsage(String name, long consumed, OptionalLong maxCount, EntitlementUnit unit) {
}
