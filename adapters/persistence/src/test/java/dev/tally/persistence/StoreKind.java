package dev.tally.persistence;

import java.nio.file.Path;

/** The two stores every persistence test runs on. */
public enum StoreKind {
    SQLITE {
        @Override
        public TestStore create(Path dataDir) {
            return new TestStore(TestStores.sqlite(dataDir), () -> { });
        }
    },
    POSTGRES {
        @Override
        public TestStore create(Path dataDir) {
            TestStores.PostgresSchema schema = TestStores.postgresSchema();
            return new TestStore(schema.settings(dataDir), schema::close);
        }
    };

    /** Makes a fresh, empty store; PostgreSQL skips the test (loudly) when no server is configured. */
    public abstract TestStore create(Path dataDir);

    /** A fresh store's settings, and how to remove it after. */
    public record TestStore(DatabaseSettings settings, Runnable drop) implements AutoCloseable {
        @Override
        public void close() {
            drop.run();
        }
    }
}
