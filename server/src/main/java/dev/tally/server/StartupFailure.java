package dev.tally.server;

/**
 * Why the server could not start, in one line an operator can act on. The exit code tells scripts which
 * kind: {@link #CONFIGURATION} (fix a flag or a file; retrying will not help) or {@link #UNAVAILABLE}
 * (something the server needs is busy or down: a port, the database).
 */
final class StartupFailure extends RuntimeException {

    static final int UNAVAILABLE = 1;
    static final int CONFIGURATION = 2;

    private final int exitCode;

    private StartupFailure(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    static StartupFailure configuration(String message, Throwable cause) {
        return new StartupFailure(message, CONFIGURATION, cause);
    }

    static StartupFailure unavailable(String message, Throwable cause) {
        return new StartupFailure(message, UNAVAILABLE, cause);
    }

    int exitCode() {
        return exitCode;
    }
}
