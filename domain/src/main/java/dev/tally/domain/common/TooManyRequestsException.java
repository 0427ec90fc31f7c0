package dev.tally.domain.common;

import java.time.Duration;
import java.util.Objects;

/** The caller is over its request rate (RESOURCE_EXHAUSTED); {@link #retryAfter()} says when to try again. */
public final class TooManyRequestsException extends TallyException {

    private final Duration retryAfter;

    public TooManyRequestsException(String message, Duration retryAfter) {
        super(ErrorReason.TOO_MANY_REQUESTS, null, message);
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
