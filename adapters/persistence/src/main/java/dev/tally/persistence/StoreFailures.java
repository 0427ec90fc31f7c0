package dev.tally.persistence;

import dev.tally.domain.common.IntervalCounter;
import dev.tally.domain.common.UnavailableException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteException;

/**
 * Tells the store's own troubles (PostgreSQL down or restarting, no free connection, SQLite's disk full or
 * unreadable) from a request's, and turns them into the domain's {@link UnavailableException}: the caller
 * sees UNAVAILABLE (503) and may retry, the log gets one line a minute instead of a stack trace per call.
 */
public final class StoreFailures {

    private static final Logger log = LoggerFactory.getLogger(StoreFailures.class);
    private static final IntervalCounter failures = new IntervalCounter(Duration.ofMinutes(1));

    private StoreFailures() {
    }

    /** Whether {@code failure} (or what caused it) is the store being unavailable rather than a broken rule or a bug. */
    static boolean unavailable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof UnavailableException || cause instanceof SQLTransientConnectionException
                    || cause instanceof SQLNonTransientConnectionException || cause instanceof SQLRecoverableException) {
                return true;
            }
            if (cause instanceof SQLiteException sqlite && switch (sqlite.getResultCode().code & 0xff) {
                case 13 /* FULL */, 10 /* IOERR */, 14 /* CANTOPEN */, 8 /* READONLY */, 5 /* BUSY */, 6 /* LOCKED */ -> true;
                default -> false;
            }) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                // 08: connection exception; 57P: the server is shutting down or restarting; 53: out of disk, memory or connections.
                if (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * {@code failure} as the caller should see it: an {@link UnavailableException} when the store is at fault
     * ({@code outcome} says what became of the call), else {@code failure} itself.
     */
    static RuntimeException translate(Throwable failure, String outcome) {
        if (failure instanceof UnavailableException unavailable) {
            return unavailable;
        }
        if (unavailable(failure)) {
            return storeFailed(failure, outcome);
        }
        return failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
    }

    /** The caller's view of a failure known to be the store's own; {@code outcome} says what became of the call. */
    static UnavailableException storeFailed(Throwable failure, String outcome) {
        note(failure);
        return new UnavailableException("the store is unavailable: " + outcome + "; retry shortly");
    }

    /**
     * {@code store} behind its port {@code type}, with every failure that is the store's own turned into an
     * {@link UnavailableException}: one place for every store method, whichever path (jOOQ, plain JDBC, a
     * batch) failed inside it.
     */
    public static <T> T guarded(Class<T> type, T store) {
        Object proxy = java.lang.reflect.Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
            try {
                return method.invoke(store, args);
            } catch (java.lang.reflect.InvocationTargetException e) {
                Throwable failure = e.getCause();
                if (failure instanceof Error error) {
                    throw error;
                }
                throw translate(failure, "the call may not have been applied");
            }
        });
        return type.cast(proxy);
    }

    /** One line a minute about the store failing, with how many failures there were and the latest reason. */
    private static void note(Throwable failure) {
        long count = failures.countAndReport();
        if (count > 0) {
            Throwable root = failure;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            log.warn("The store failed {} call(s) in the last minute; the latest: {}", count,
                    String.valueOf(root.getMessage()).lines().findFirst().orElse(root.getClass().getSimpleName()));
        }
    }
}
