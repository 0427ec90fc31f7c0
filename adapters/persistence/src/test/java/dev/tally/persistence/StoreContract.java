package dev.tally.persistence;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Base of the persistence tests: every test runs on SQLite and on PostgreSQL, each on a fresh store. */
@ParameterizedClass(name = "on {0}")
@EnumSource(StoreKind.class)
abstract class StoreContract {

    @Parameter
    StoreKind kind;

    @TempDir
    Path dataDir;

    StoreKind.TestStore store;
    Database database;

    @BeforeEach
    void openStore() {
        store = kind.create(dataDir);
        database = new Database(store.settings());
        database.start();
    }

    @AfterEach
    void closeStore() {
        if (database != null) {
            database.close();
        }
        if (store != null) {
            store.close();
        }
    }
}
