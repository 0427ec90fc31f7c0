package dev.tally.persistence;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * Real stores for tests: a SQLite file in a temp directory, or a schema of its own (dropped after) in the
 * PostgreSQL named by {@code TALLY_TEST_POSTGRES_URL}. Without that variable PostgreSQL tests are skipped,
 * loudly; CI always sets it.
 */
public final class TestStores {

    public static final String POSTGRES_URL_VARIABLE = "TALLY_TEST_POSTGRES_URL";

    private TestStores() {
    }

    public static DatabaseSettings sqlite(Path dataDir) {
        return new DatabaseSettings(dataDir, Optional.empty(), "FULL", 4);
    }

    /** The PostgreSQL base URL, or a skipped test (with a warning on stderr) when none is configured. */
    public static String postgresBaseUrl() {
        String url = System.getenv(POSTGRES_URL_VARIABLE);
        if (url == null || url.isBlank()) {
            System.err.println("!!! " + POSTGRES_URL_VARIABLE + " is not set: PostgreSQL tests are SKIPPED. "
                    + "Set it, e.g. jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
            Assumptions.abort(POSTGRES_URL_VARIABLE + " is not set: PostgreSQL skipped");
        }
        return url;
    }

    /** A fresh schema in the test PostgreSQL; closing it drops the schema and everything in it. */
    public static PostgresSchema postgresSchema() {
        String base = postgresBaseUrl();
        String schema = "tally_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        execute(base, "CREATE SCHEMA " + schema);
        String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        return new PostgresSchema(base, schema, url);
    }

    /** One test's schema. */
    public record PostgresSchema(String baseUrl, String schema, String url) implements AutoCloseable {

        public DatabaseSettings settings(Path dataDir) {
            return new DatabaseSettings(dataDir, Optional.of(url), "FULL", 8);
        }

        @Override
        public void close() {
            execute(baseUrl, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    /** Each row {@code query} returns on {@code url}, as its columns joined by spaces. */
    public static List<String> rows(String url, String query) {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(query)) {
            List<String> rows = new ArrayList<>();
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    values.add(String.valueOf(result.getObject(i)));
                }
                rows.add(String.join(" ", values));
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run '" + query + "' on " + url, e);
        }
    }

    private static void execute(String url, String sql) {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run '" + sql + "' on the test PostgreSQL", e);
        }
    }
}
