package dev.tally.domain.quota;

import java.util.Optional;

/** CreateUsagePlan's request; {@code timeZone} empty means UTC. */
public record NewUsagePlan(String name, String description, Optional<QuotaSettings> quota, Optional<ThrottleSettings> throttle,
                           String timeZone) {
}
