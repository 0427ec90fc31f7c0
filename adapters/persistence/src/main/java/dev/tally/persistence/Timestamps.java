package dev.tally.persistence;

import java.time.Instant;

/** Instants are stored as epoch milliseconds, the one timestamp type SQLite and PostgreSQL share exactly. */
final class Timestamps {

    private Timestamps() {
    }

    static long millis(Instant instant) {
        return instant.toEpochMilli();
    }

    static Instant instant(long millis) {
        return Instant.ofEpochMilli(millis);
    }
}
