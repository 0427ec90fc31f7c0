package dev.tally.persistence;

/** The database could not be reached at all (refused, unknown host, bad credentials): its message is one line. */
public final class StoreUnreachableException extends RuntimeException {

    public StoreUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
