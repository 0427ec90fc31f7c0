package dev.tally.domain.common;

/** The thing to create exists already, or an idempotency token was reused for another request (ALREADY_EXISTS). */
public final class ConflictException extends TallyException {

    public ConflictException(ErrorReason reason, String field, String message) {
        super(reason, field, message);
    }

    public ConflictException(String field, String message) {
        this(ErrorReason.CONFLICT, field, message);
    }
}
