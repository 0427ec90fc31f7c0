package dev.tally.domain.common;

/** The thing named does not exist (NOT_FOUND). */
public final class NotFoundException extends TallyException {

    public NotFoundException(ErrorReason reason, String field, String message) {
        super(reason, field, message);
    }

    public NotFoundException(String field, String message) {
        this(ErrorReason.RESOURCE_NOT_FOUND, field, message);
    }
}
