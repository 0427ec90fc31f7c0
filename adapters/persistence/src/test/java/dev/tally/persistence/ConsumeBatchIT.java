package dev.tally.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tally_consume}, the statement that decides a batch of ConsumeQuota calls on PostgreSQL, given
 * batches no race would reliably make: several calls of one row, a refusal between allowances, a day
 * boundary inside a row, no quota, an adjustment, and a plan that is gone.
 */
class ConsumeBatchIT {

    /** One call of a batch: plan, key, period start, day, cost, allowance (null: no quota). */
    private record Call(String plan, String key, int period, int day, long cost, Long allowance) {
    }

    @TempDir
    Path dir;

    private TestStores.PostgresSchema schema;
    private Connection connection;

    @BeforeEach
    void migrate() throws SQLException {
        schema = TestStores.postgresSchema();
        try (Database database = new Database(schema.settings(dir))) {
            database.start();
        }
        connection = DriverManager.getConnection(schema.url());
        execute("INSERT INTO usage_plan VALUES ('p00001', 'plan', '', 5, 0, 'DAY', NULL, NULL, 'UTC', 0)");
    }

    @AfterEach
    void drop() throws SQLException {
        if (connection != null) {
            connection.close();
        }
        if (schema != null) {
            schema.close();
        }
    }

    @Test
    void decidesEachRowsCallsInTurn_writesTheRowOnce_andAddsEachDaysConsumedCost() throws SQLException {
        List<String> decisions = consume(
                new Call("p00001", "k1", 100, 100, 2, 5L),
                new Call("p00001", "k1", 100, 100, 2, 5L),
                new Call("p00001", "k1", 100, 100, 2, 5L),   // 4 + 2 > 5: refused
                new Call("p00001", "k1", 100, 101, 1, 5L),   // still fits, on the next day
                new Call("p00001", "k2", 100, 100, 900, null)); // no quota

        assertThat(decisions).containsExactly("true 2 0", "true 4 0", "false 4 0", "true 5 0", "true 900 0");
        assertThat(rows("SELECT key_id, period_start, used, adjustment FROM usage_period ORDER BY key_id"))
                .containsExactly("k1 100 5 0", "k2 100 900 0");
        assertThat(rows("SELECT key_id, day, used FROM usage_day ORDER BY key_id, day"))
                .containsExactly("k1 100 4", "k1 101 1", "k2 100 900");
    }

    @Test
    void continuesFromTheStoredCounter_andHonoursItsAdjustment() throws SQLException {
        execute("INSERT INTO usage_period VALUES ('p00001', 'k1', 100, 4, 3)"); // 5 + 3 allowed, 4 used
        execute("INSERT INTO usage_day VALUES ('p00001', 'k1', 100, 4, NULL)");

        assertThat(consume(new Call("p00001", "k1", 100, 100, 5, 5L), new Call("p00001", "k1", 100, 100, 4, 5L)))
                .containsExactly("false 4 3", "true 8 3");
        assertThat(rows("SELECT used FROM usage_day")).containsExactly("8");
    }

    @Test
    void refusedCallsWriteNothing_andAnEmptyBatchAnswersNothing() throws SQLException {
        assertThat(consume(new Call("p00001", "k1", 100, 100, 6, 5L))).containsExactly("false 0 0");
        assertThat(rows("SELECT used FROM usage_period")).containsExactly("0");
        assertThat(rows("SELECT used FROM usage_day")).isEmpty();

        assertThat(consume()).isEmpty();
    }

    @Test
    void aBatchWithAPlanThatIsGone_isRefusedWhole_andWritesNothing() {
        assertThatThrownBy(() -> consume(new Call("p00001", "k1", 100, 100, 1, 5L), new Call("gone00", "k1", 100, 100, 1, 5L)))
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23503"));
        assertThat(rows("SELECT used FROM usage_period")).isEmpty();
        assertThat(rows("SELECT used FROM usage_day")).isEmpty();
    }

    /** Runs one batch (in the order given: the caller sorts) and returns each answer as "consumed used adjustment". */
    private List<String> consume(Call... calls) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT consumed, period_used, period_adjustment FROM tally_consume(?, ?, ?, ?, ?, ?)")) {
            statement.setArray(1, connection.createArrayOf("varchar", map(calls, Call::plan)));
            statement.setArray(2, connection.createArrayOf("varchar", map(calls, Call::key)));
            statement.setArray(3, connection.createArrayOf("int4", map(calls, Call::period)));
            statement.setArray(4, connection.createArrayOf("int4", map(calls, Call::day)));
            statement.setArray(5, connection.createArrayOf("int8", map(calls, Call::cost)));
            statement.setArray(6, connection.createArrayOf("int8", map(calls, Call::allowance)));
            List<String> answers = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    answers.add(rows.getBoolean(1) + " " + rows.getLong(2) + " " + rows.getLong(3));
                }
            }
            return answers;
        }
    }

    private static Object[] map(Call[] calls, java.util.function.Function<Call, Object> column) {
        Object[] values = new Object[calls.length];
        for (int i = 0; i < calls.length; i++) {
            values[i] = column.apply(calls[i]);
        }
        return values;
    }

    private void execute(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private List<String> rows(String query) {
        return TestStores.rows(schema.url(), query);
    }
}
