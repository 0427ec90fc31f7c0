package dev.tally.domain.common;

/** The system is not in a state that allows this (FAILED_PRECONDITION). */
public final class FailedPreconditionException extends TallyException {

    public FailedPreconditionException(ErrorReason reason, String field, String message) {
        super(reason, field, message);
    }

    public FailedPreconditionException(String field, String message) {
        this(ErrorReason.FAILED_PRECONDITION, field, message);
    }
}
