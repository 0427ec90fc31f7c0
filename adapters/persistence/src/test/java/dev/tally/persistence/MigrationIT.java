package dev.tally.persistence;

import static dev.tally.persistence.TestStores.rows;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migrations that only one store runs, on a real SQLite file and a real PostgreSQL schema: 7 is SQLite's
 * alone, 8 PostgreSQL's alone.
 */
class MigrationIT {

    @TempDir
    Path dir;

    @Test
    void sqliteKeepsEveryCounterWhenItsTablesBecomeClustered() throws SQLException {
        DatabaseSettings settings = TestStores.sqlite(dir);
        String url = "jdbc:sqlite:" + settings.sqliteFile().toAbsolutePath();
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").target("6").load().migrate();
        execute(url,
                "INSERT INTO usage_plan VALUES ('p00001', 'plan', '', 100, 0, 'DAY', NULL, NULL, 'UTC', 0)",
                "INSERT INTO usage_day VALUES ('p00001', 'k000000001', 20000, 7, NULL)",
                "INSERT INTO usage_day VALUES ('p00001', 'k000000001', 20001, 9, -3)",
                "INSERT INTO usage_period VALUES ('p00001', 'k000000001', 20001, 9, -3)",
                "INSERT INTO license VALUES ('arn:l', 'n', 'p', 's', 'i', 'us-east-1', 'AVAILABLE', 0, NULL, 'b', 'None', 60, 1,"
                        + " NULL, 'h', 0)",
                "INSERT INTO license_consumption VALUES ('arn:l', 9223372036854775807, 'seats', 4)");

        try (Database database = new Database(settings)) {
            database.start();
        }

        assertThat(rows(url, "SELECT plan_id, key_id, day, used, adjustment FROM usage_day ORDER BY day"))
                .containsExactly("p00001 k000000001 20000 7 null", "p00001 k000000001 20001 9 -3");
        assertThat(rows(url, "SELECT plan_id, key_id, period_start, used, adjustment FROM usage_period"))
                .containsExactly("p00001 k000000001 20001 9 -3");
        assertThat(rows(url, "SELECT license_arn, counts_until, entitlement, amount FROM license_consumption"))
                .containsExactly("arn:l 9223372036854775807 seats 4");
        assertThat(rows(url, "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%WITHOUT ROWID%' ORDER BY name"))
                .containsExactly("license_consumption", "usage_day", "usage_period");
        assertThat(rows(url, "SELECT version FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank"))
                .containsExactly("1", "2", "3", "4", "5", "6", "7", "9", "10", "11", "12", "13", "14");
    }

    @Test
    void postgresSkipsTheSqliteOnlyVersion_andHasItsOwn() throws SQLException {
        try (TestStores.PostgresSchema schema = TestStores.postgresSchema();
             Database database = new Database(schema.settings(dir))) {
            database.start();
            assertThat(rows(schema.url(), "SELECT version FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank"))
                    .containsExactly("1", "2", "3", "4", "5", "6", "8", "9", "10", "11", "12", "13", "14");
            assertThat(rows(schema.url(), "SELECT proname FROM pg_proc WHERE pronamespace = current_schema()::regnamespace"))
                    .containsExactly("tally_consume");
        }
    }

    @Test
    void aPoolsUsageMovesIntoItsFirstStripe_andPoolsWithoutUsageGetNone() throws SQLException {
        DatabaseSettings settings = TestStores.sqlite(dir);
        String url = "jdbc:sqlite:" + settings.sqliteFile().toAbsolutePath();
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration", "classpath:db/sqlite").target("13").load().migrate();
        execute(url,
                "INSERT INTO identity_pool VALUES ('us-east-1:0000aaaa-0000-0000-0000-000000000001', 'used', 1000, 7, 4096, 2000)",
                "INSERT INTO identity_pool VALUES ('us-east-1:0000aaaa-0000-0000-0000-000000000002', 'idle', 1000, NULL, 0, NULL)");

        try (Database database = new Database(settings)) {
            database.start();
            JooqDatasetStore store = new JooqDatasetStore(database);
            var used = store.poolUsage(new dev.tally.domain.common.IdentityPoolId("us-east-1:0000aaaa-0000-0000-0000-000000000001")).orElseThrow();
            assertThat(used.syncSessionsCount()).hasValue(7);
            assertThat(used.dataStorage()).isEqualTo(4096);
            assertThat(used.lastModified()).isEqualTo(java.time.Instant.ofEpochMilli(2000));
            var idle = store.poolUsage(new dev.tally.domain.common.IdentityPoolId("us-east-1:0000aaaa-0000-0000-0000-000000000002")).orElseThrow();
            assertThat(idle.syncSessionsCount()).isEmpty();
            assertThat(idle.dataStorage()).isZero();
            assertThat(idle.lastModified()).isEqualTo(java.time.Instant.ofEpochMilli(1000));
        }
        assertThat(rows(url, "SELECT pool_id, stripe, sync_sessions_count, data_storage, last_modified_at FROM identity_pool_usage"))
                .containsExactly("us-east-1:0000aaaa-0000-0000-0000-000000000001 0 7 4096 2000");
    }

    private static void execute(String url, String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
