package dev.tally.domain.common;

/** The caller's credentials do not allow this (PERMISSION_DENIED). */
public final class PermissionDeniedException extends TallyException {

    public PermissionDeniedException(ErrorReason reason, String field, String message) {
        super(reason, field, message);
    }

    public PermissionDeniedException(String field, String message) {
        this(ErrorReason.ACCESS_DENIED, field, message);
    }
}
