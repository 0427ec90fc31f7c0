package dev.tally.domain.quota;

import dev.tally.domain.common.UsagePlanId;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/** A usage plan: a quota and a throttle applied to each of its API keys, counted in its time zone. */
public record UsagePlan(UsagePlanId id, String name, String description, Optional<QuotaSettings> quota,
                        Optional<ThrottleSettings> throttle, ZoneId timeZone, Instant createdAt) {

    public UsagePlan {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(quota, "quota");
        Objects.requireNonNull(throttle, "throttle");
        Objects.requireNonNull(timeZone, "timeZone");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** The calendar day {@code instant} falls on in the plan's time zone. */
    public LocalDate day(Instant instant) {
        return instant.atZone(timeZone).toLocalDate();
    }

    /** Periods of a plan without a quota are single days: usage is still counted and reported per day. */
    public QuotaPeriod period() {
        return quota.map(QuotaSettings::period).orElse(QuotaPeriod.DAY);
    }

    /** The instant the period containing {@code day} ends, in the plan's time zone (DST-aware). */
    public Instant periodEnd(LocalDate day) {
        return period().end(day).atStartOfDay(timeZone).toInstant();
    }

    /**
     * What the period starting on {@code periodStart} allows before any UpdateUsage: the limit, less the offset
     * in the plan's first period (the one its creation falls in). Empty without a quota.
     */
    public OptionalLong allowance(LocalDate periodStart) {
        if (quota.isEmpty()) {
            return OptionalLong.empty();
        }
        QuotaSettings settings = quota.get();
        boolean first = settings.period().start(day(createdAt)).equals(periodStart);
        return OptionalLong.of(settings.limit() - (first ? settings.offset() : 0));
    }
}
