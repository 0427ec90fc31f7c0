package dev.tally.domain.common;

import java.util.Objects;
import java.util.Optional;

/**
 * A broken rule: the one family of failures the domain raises. Each subclass is one kind of failure (and
 * so one gRPC status); the {@link ErrorReason} says which AWS error name the caller sees. Messages name
 * the offending field and value and are safe to show to the caller.
 */
public sealed abstract class TallyException extends RuntimeException
        permits InvalidParameterException, UnauthenticatedException, PermissionDeniedException, NotFoundException,
        ConflictException, ResourceConflictException, LimitExceededException, TooManyRequestsException,
        FailedPreconditionException, UnavailableException {

    private static final int MAX_VALUE_CHARS = 80;

    private final ErrorReason reason;
    private final String field;

    protected TallyException(ErrorReason reason, String field, String message) {
        super(message, null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.field = field;
    }

    public ErrorReason reason() {
        return reason;
    }

    /** The request field at fault, in its wire (snake_case) spelling, when there is one. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }

    /** Quotes a caller-supplied value for a message, cut short so an error never echoes megabytes. */
    public static String quote(Object value) {
        String text = String.valueOf(value);
        if (text.length() > MAX_VALUE_CHARS) {
            // Never cut between the two halves of a surrogate pair (an emoji, say): half a pair is not text.
            int end = Character.isHighSurrogate(text.charAt(MAX_VALUE_CHARS - 1)) ? MAX_VALUE_CHARS - 1 : MAX_VALUE_CHARS;
            text = text.substring(0, end) + "...";
        }
        return "'" + text + "'";
    }
}
