package dev.tally.domain.common;

/** A concurrent change won: the caller should re-read and retry (ABORTED). */
public final class ResourceConflictException extends TallyException {

    public ResourceConflictException(ErrorReason reason, String field, String message) {
        super(reason, field, message);
    }

    public ResourceConflictException(String field, String message) {
        this(ErrorReason.RESOURCE_CONFLICT, field, message);
    }
}
