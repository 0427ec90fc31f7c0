package dev.tally.domain.common;

/** The caller presented no valid credentials (UNAUTHENTICATED). */
public final class UnauthenticatedException extends TallyException {

    public UnauthenticatedException(ErrorReason reason, String field, String message) {
        super(reason, field, message);
    }

    public UnauthenticatedException(String field, String message) {
        this(ErrorReason.UNAUTHORIZED, field, message);
    }
}
