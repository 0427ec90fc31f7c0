package dev.tally.domain.common;

/** A request field is malformed or out of range (INVALID_ARGUMENT). */
public final class InvalidParameterException extends TallyException {

    public InvalidParameterException(ErrorReason reason, String field, String message) {
        super(reason, field, message);
    }

    public InvalidParameterException(String field, String message) {
        this(ErrorReason.INVALID_PARAMETER, field, message);
    }
}
