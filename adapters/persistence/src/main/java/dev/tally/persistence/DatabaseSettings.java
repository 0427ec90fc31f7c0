package dev.tally.persistence;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how to store: PostgreSQL when {@code postgresUrl} is given, else SQLite at
 * {@code <dataDir>/tally.db} with the given {@code synchronous} level (FULL or NORMAL).
 */
public record DatabaseSettings(Path dataDir, Optional<String> postgresUrl, String sqliteSynchronous, int poolSize) {

    public DatabaseSettings {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(postgresUrl, "postgresUrl");
        Objects.requireNonNull(sqliteSynchronous, "sqliteSynchronous");
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be at least 1");
        }
    }

    public Path sqliteFile() {
        return dataDir.resolve("tally.db");
    }
}
