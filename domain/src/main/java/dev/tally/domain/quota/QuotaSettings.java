package dev.tally.domain.quota;

import dev.tally.domain.common.ErrorReason;
import dev.tally.domain.common.InvalidParameterException;
import java.util.Objects;

/** Requests allowed per period; {@code offset} is taken off the limit in the plan's first period only. */
public record QuotaSettings(long limit, long offset, QuotaPeriod period) {

    /**
     * The largest limit, and the largest remaining UpdateUsage may set: far above any real quota, and low
     * enough that no sum of limits, use and adjustments can overflow a 64-bit counter.
     */
    public static final long MAX_LIMIT = 1_000_000_000_000_000L;

    public QuotaSettings {
        Objects.requireNonNull(period, "period");
        if (limit < 0 || limit > MAX_LIMIT) {
            throw new InvalidParameterException(ErrorReason.BAD_REQUEST, "quota.limit", "quota.limit " + limit
                    + " is out of range: expected 0.." + MAX_LIMIT);
        }
        if (offset < 0 || offset > limit) {
            throw new InvalidParameterException(ErrorReason.BAD_REQUEST, "quota.offset",
                    "quota.offset " + offset + " is out of range: expected 0.." + limit + " (the limit)");
        }
    }
}
