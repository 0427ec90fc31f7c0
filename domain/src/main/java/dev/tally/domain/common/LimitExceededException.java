package dev.tally.domain.common;

/** A stored limit would be exceeded (RESOURCE_EXHAUSTED). */
public final class LimitExceededException extends TallyException {

    public LimitExceededException(ErrorReason reason, String field, String message) {
        super(reason, field, message);
    }

    public LimitExceededException(String field, String message) {
        this(ErrorReason.LIMIT_EXCEEDED, field, message);
    }
}
