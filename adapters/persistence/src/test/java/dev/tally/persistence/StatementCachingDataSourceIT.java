package dev.tally.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** The SQLite statement cache on a real database file in WAL mode. */
class StatementCachingDataSourceIT {

    private static final String BY_ID = "SELECT name FROM item WHERE id = ?";

    @TempDir
    Path dir;

    private StatementCachingDataSource dataSource;

    @BeforeEach
    void createTable() throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        SQLiteDataSource sqlite = new SQLiteDataSource(config);
        sqlite.setUrl("jdbc:sqlite:" + dir.resolve("cache.db"));
        dataSource = new StatementCachingDataSource(sqlite);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
            for (int id = 1; id <= 3; id++) {
                statement.execute("INSERT INTO item VALUES (" + id + ", 'item " + id + "')");
            }
        }
    }

    @Test
    void aClosedStatementIsHandedOutAgainWithItsParametersCleared() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            PreparedStatement first = connection.prepareStatement(BY_ID);
            assertThat(name(first, 1)).isEqualTo("item 1");
            first.close();
            assertThat(first.isClosed()).isTrue();

            PreparedStatement second = connection.prepareStatement(BY_ID);
            assertThat(second).isSameAs(first);
            assertThat(second.isClosed()).isFalse();
            assertThat(name(second, 2)).isEqualTo("item 2");
            second.close();
        }
    }

    @Test
    void theSameSqlOpenTwiceAtOnceGetsTwoStatements() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement outer = connection.prepareStatement(BY_ID);
             PreparedStatement inner = connection.prepareStatement(BY_ID)) {
            assertThat(inner).isNotSameAs(outer);
            outer.setLong(1, 1);
            try (ResultSet rows = outer.executeQuery()) {
                assertThat(rows.next()).isTrue();
                assertThat(name(inner, 3)).isEqualTo("item 3");
                assertThat(rows.getString(1)).isEqualTo("item 1");
            }
        }
    }

    @Test
    void closingAStatementWithAnUnreadResultEndsItsReadSnapshot() throws SQLException {
        try (Connection reader = dataSource.getConnection(); Connection writer = dataSource.getConnection()) {
            PreparedStatement scan = reader.prepareStatement("SELECT name FROM item ORDER BY id");
            ResultSet rows = scan.executeQuery();
            assertThat(rows.next()).isTrue();
            scan.close(); // the result set is left open by its user: the cache must still reset the statement

            try (Statement write = writer.createStatement()) {
                write.execute("INSERT INTO item VALUES (4, 'item 4')");
                // A checkpoint that must wait for a reader reports busy = 1: no reader may still hold a snapshot.
                try (ResultSet checkpoint = write.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                    assertThat(checkpoint.next()).isTrue();
                    assertThat(checkpoint.getInt(1)).isZero();
                }
            }
            try (PreparedStatement again = reader.prepareStatement(BY_ID)) {
                assertThat(name(again, 4)).isEqualTo("item 4");
            }
        }
    }

    @Test
    void beyondItsCapacityTheCacheEvictsTheLeastRecentlyUsedAndKeepsWorking() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            PreparedStatement first = connection.prepareStatement(BY_ID);
            first.close();
            for (int i = 0; i < StatementCachingDataSource.STATEMENTS_PER_CONNECTION; i++) {
                try (PreparedStatement statement = connection.prepareStatement("SELECT name FROM item WHERE id = ? + " + i)) {
                    assertThat(name(statement, 1 - i)).isEqualTo("item 1");
                }
            }
            PreparedStatement again = connection.prepareStatement(BY_ID);
            assertThat(again).isNotSameAs(first);
            assertThat(name(again, 2)).isEqualTo("item 2");
            again.close();
        }
    }

    private static String name(PreparedStatement statement, long id) throws SQLException {
        statement.setLong(1, id);
        try (ResultSet rows = statement.executeQuery()) {
            assertThat(rows.next()).as("a row with id %d", id).isTrue();
            return rows.getString(1);
        }
    }
}
