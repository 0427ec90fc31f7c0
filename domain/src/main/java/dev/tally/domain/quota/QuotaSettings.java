package dev.tally.domain.quota;

import dev.tally.domain.common.ErrorReason;
import dev.tally.domain.common.InvalidParameterException;
import java.util.Objects;

/** Requests allowed per period; {@code offset} is taken off the limit in the plan's first period only. */
public record QuotaSettings(long limit, long offset, QuotaPeriod period) {

    public QuotaSettings {
        Objects.requireNonNull(period, "period");
        if (limit < 0) {
            throw new InvalidParameterException(ErrorReason.BAD_REQUEST, "quota.limit", "quota.limit " + limit + " must not be negative");
        }
        if (offset < 0 || offset > limit) {
            throw new InvalidParameterException(ErrorReason.BAD_REQUEST, "quota.offset",
                    "quota.offset " + offset + " is out of range: expected 0.." + limit + " (the limit)");
        }
    }
}
