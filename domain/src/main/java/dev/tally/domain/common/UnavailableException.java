package dev.tally.domain.common;

/**
 * The store could not be reached or could not take the write (down, restarting, out of disk): nothing was
 * changed unless the message says the outcome is unknown, and the same call may be retried (UNAVAILABLE, 503).
 */
public final class UnavailableException extends TallyException {

    public UnavailableException(String message) {
        super(ErrorReason.SERVICE_UNAVAILABLE, null, message);
    }
}
