package dev.tally.persistence;

import io.micrometer.core.instrument.MeterRegistry;
import dev.tally.domain.quota.PeriodCounter;
import dev.tally.domain.quota.QuotaAttempt;
import dev.tally.domain.common.UnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for ConsumeQuota on PostgreSQL. A transaction per call held its key's counter row locked
 * through its round trips and its commit, so the calls on a hot key went one commit at a time, and each
 * call paid three round trips. Here a few threads each take the calls waiting at that moment and decide
 * them all with one statement, {@code tally_consume} (migration V8): it locks each counter row once,
 * decides that row's calls in turn, writes it once, and commits once; only then is any call answered.
 *
 * <p>A batch the database refused (a plan another server has just deleted, a deadlock) wrote nothing, so
 * each of its calls is handed back to be decided alone, where one bad call fails by itself. A batch whose
 * fate is unknown (the connection broke) fails all its calls: deciding them again could count them twice.
 */
final class PostgresConsumeBatches implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PostgresConsumeBatches.class);
    private static final int MAX_BATCH = 512;
    private static final String CONSUME =
            "SELECT consumed, period_used, period_adjustment FROM tally_consume(?, ?, ?, ?, ?, ?)";

    /** What a call came to: whether its cost was consumed, and its period's counter after it. */
    record Outcome(boolean consumed, PeriodCounter counter) {
    }

    private record Call(QuotaAttempt attempt, CompletableFuture<Optional<Outcome>> answer) {
    }

    /** The order tally_consume locks rows in; a stable sort keeps arrival order within a row and day. */
    private static final Comparator<Call> LOCK_ORDER = Comparator.<Call, String>comparing(call -> call.attempt().plan().value())
            .thenComparing(call -> call.attempt().key().value())
            .thenComparing(call -> call.attempt().periodStart())
            .thenComparing(call -> call.attempt().day());

    private final DataSource pool;
    private final BatchQueue<Call> batches;
    private final AtomicLong statements = new AtomicLong();

    /**
     * @param pool    connections in auto-commit, so that the statement is a transaction of its own
     * @param threads batches in flight at once: while one commits, the next gathers
     */
    PostgresConsumeBatches(DataSource pool, int threads, MeterRegistry meters) {
        this.pool = pool;
        this.batches = new BatchQueue<>("tally-consume", threads, MAX_BATCH, this::decide,
                call -> call.answer().completeExceptionally(new IllegalStateException("the store is closed")), meters);
    }

    /**
     * Decides {@code attempt} in the next batch, once that batch has committed; empty when the database
     * refused the batch and nothing of it was written, so the call must be decided alone.
     */
    Optional<Outcome> consume(QuotaAttempt attempt) {
        CompletableFuture<Optional<Outcome>> answer = new CompletableFuture<>();
        batches.add(new Call(attempt, answer));
        return BatchQueue.await(answer);
    }

    /** How many batch statements have run; the tests read it to see that calls share them. */
    long statements() {
        return statements.get();
    }

    private void decide(List<Call> batch) {
        List<Call> calls = new ArrayList<>(batch);
        calls.sort(LOCK_ORDER);
        List<Outcome> outcomes;
        try {
            outcomes = run(calls);
        } catch (SQLException refused) {
            if (fateUnknown(refused)) {
                log.warn("A batch of {} ConsumeQuota calls may or may not have committed ({}); none is acknowledged", calls.size(),
                        String.valueOf(refused.getMessage()).lines().findFirst().orElse(""));
                UnavailableException failure = new UnavailableException("the connection to the store broke while committing: the call may"
                        + " or may not have counted; retry with the same idempotency_key to count it exactly once");
                calls.forEach(call -> call.answer().completeExceptionally(failure));
            } else {
                log.debug("A batch of {} ConsumeQuota calls was refused; deciding each alone", calls.size(), refused);
                calls.forEach(call -> call.answer().complete(Optional.empty()));
            }
            return;
        } catch (RuntimeException broken) {
            calls.forEach(call -> call.answer().completeExceptionally(broken));
            return;
        }
        for (int i = 0; i < calls.size(); i++) {
            calls.get(i).answer().complete(Optional.of(outcomes.get(i)));
        }
    }

    private List<Outcome> run(List<Call> calls) throws SQLException {
        int size = calls.size();
        String[] plans = new String[size];
        String[] keys = new String[size];
        Integer[] periods = new Integer[size];
        Integer[] days = new Integer[size];
        Long[] costs = new Long[size];
        Long[] allowances = new Long[size];
        for (int i = 0; i < size; i++) {
            QuotaAttempt attempt = calls.get(i).attempt();
            plans[i] = attempt.plan().value();
            keys[i] = attempt.key().value();
            periods[i] = Math.toIntExact(attempt.periodStart().toEpochDay());
            days[i] = Math.toIntExact(attempt.day().toEpochDay());
            costs[i] = attempt.cost();
            allowances[i] = attempt.allowance().isPresent() ? attempt.allowance().getAsLong() : null;
        }
        List<Outcome> outcomes = new ArrayList<>(size);
        try (Connection connection = pool.getConnection(); PreparedStatement statement = connection.prepareStatement(CONSUME)) {
            statement.setArray(1, connection.createArrayOf("varchar", plans));
            statement.setArray(2, connection.createArrayOf("varchar", keys));
            statement.setArray(3, connection.createArrayOf("int4", periods));
            statement.setArray(4, connection.createArrayOf("int4", days));
            statement.setArray(5, connection.createArrayOf("int8", costs));
            statement.setArray(6, connection.createArrayOf("int8", allowances));
            statements.incrementAndGet();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    outcomes.add(new Outcome(rows.getBoolean(1), new PeriodCounter(rows.getLong(2), rows.getLong(3))));
                }
            }
        }
        if (outcomes.size() != size) {
            throw new IllegalStateException("tally_consume answered " + outcomes.size() + " of " + size + " calls");
        }
        return outcomes;
    }

    /**
     * Whether a failed batch may have committed all the same. The database answers a statement it refused
     * with an error of its own, after which the transaction is gone; only a broken connection (class 08) or
     * a server shutting down (57P) leaves open whether the commit happened.
     */
    private static boolean fateUnknown(SQLException failure) {
        String state = failure.getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("57P");
    }

    /** Decides what is queued, then stops the threads. */
    @Override
    public void close() {
        batches.close();
    }
}
