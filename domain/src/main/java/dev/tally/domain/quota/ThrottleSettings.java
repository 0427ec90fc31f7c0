package dev.tally.domain.quota;

import dev.tally.domain.common.ErrorReason;
import dev.tally.domain.common.InvalidParameterException;

/** A token bucket per API key: {@code burstLimit} requests at once, refilled at {@code rateLimit} per second. */
public record ThrottleSettings(int burstLimit, double rateLimit) {

    public ThrottleSettings {
        if (burstLimit < 0) {
            throw new InvalidParameterException(ErrorReason.BAD_REQUEST, "throttle.burst_limit",
                    "throttle.burst_limit " + burstLimit + " must not be negative");
        }
        if (!(rateLimit >= 0) || Double.isInfinite(rateLimit)) {
            throw new InvalidParameterException(ErrorReason.BAD_REQUEST, "throttle.rate_limit",
                    "throttle.rate_limit " + rateLimit + " must be a finite number, at least 0");
        }
    }
}
