package dev.tally.persistence;

import dev.tally.domain.quota.PeriodCounter;
import dev.tally.domain.quota.QuotaAttempt;
import dev.tally.domain.quota.QuotaDecision;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for ConsumeQuota on PostgreSQL. Per call, a transaction of its own holds the key's counter
 * row locked until its commit, so calls on one hot key ran one commit at a time, and every call paid its
 * own round trips. Here a few threads each take the calls waiting at that moment and decide them together
 * in one transaction of five statements, however many calls it holds: create missing counter rows, lock
 * and read the counters, decide each call in order, write the counters, add to the days. Only after the
 * commit is any call answered; a batch that fails is not acknowledged, and its calls run again one by one,
 * so one bad call (a plan another server just deleted) fails alone.
 *
 * <p>Rows are locked in key order and, for any key, its period row before its day rows, as every other
 * write of these tables does, so batches of several servers never deadlock. Calls with an idempotency key
 * keep the one-by-one path: they need their decision stored with them.
 */
final class PostgresConsumeBatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PostgresConsumeBatcher.class);
    private static final int MAX_BATCH = 512;

    private static final String CREATE_PERIODS = """
            INSERT INTO usage_period (plan_id, key_id, period_start, used, adjustment)
            SELECT p, k, s, 0, 0 FROM unnest(?::varchar[], ?::varchar[], ?::int[]) AS t(p, k, s) ORDER BY p, k, s
            ON CONFLICT DO NOTHING""";
    private static final String LOCK_PERIODS = """
            SELECT u.plan_id, u.key_id, u.period_start, u.used, u.adjustment
            FROM usage_period u JOIN unnest(?::varchar[], ?::varchar[], ?::int[]) AS t(p, k, s)
              ON u.plan_id = t.p AND u.key_id = t.k AND u.period_start = t.s
            ORDER BY u.plan_id, u.key_id, u.period_start
            FOR UPDATE OF u""";
    private static final String WRITE_PERIODS = """
            UPDATE usage_period u SET used = t.used
            FROM unnest(?::varchar[], ?::varchar[], ?::int[], ?::bigint[]) AS t(p, k, s, used)
            WHERE u.plan_id = t.p AND u.key_id = t.k AND u.period_start = t.s""";
    private static final String ADD_TO_DAYS = """
            INSERT INTO usage_day (plan_id, key_id, day, used)
            SELECT p, k, d, n FROM unnest(?::varchar[], ?::varchar[], ?::int[], ?::bigint[]) AS t(p, k, d, n) ORDER BY p, k, d
            ON CONFLICT (plan_id, key_id, day) DO UPDATE SET used = usage_day.used + excluded.used""";

    /** A call waiting for its batch; {@code alone} decides it in a transaction of its own. */
    private record Call(QuotaAttempt attempt, BiFunction<Boolean, PeriodCounter, QuotaDecision> decide,
                        Supplier<QuotaDecision> alone, CompletableFuture<QuotaDecision> result) {
    }

    /** A counter row's key; sorts as the database orders the rows it locks. */
    private record Row(String plan, String key, int dayOrPeriod) implements Comparable<Row> {
        @Override
        public int compareTo(Row other) {
            int byPlan = plan.compareTo(other.plan);
            if (byPlan != 0) {
                return byPlan;
            }
            int byKey = key.compareTo(other.key);
            return byKey != 0 ? byKey : Integer.compare(dayOrPeriod, other.dayOrPeriod);
        }
    }

    private static final Call STOP = new Call(null, null, null, new CompletableFuture<>());

    private final DSLContext writer;
    private final BlockingQueue<Call> queue = new LinkedBlockingQueue<>();
    private final List<Thread> threads = new ArrayList<>();

    /**
     * @param writer  transactions on the PostgreSQL pool
     * @param threads how many batches may be in flight at once
     */
    PostgresConsumeBatcher(DSLContext writer, int threads) {
        this.writer = writer;
        for (int i = 0; i < threads; i++) {
            Thread thread = new Thread(this::run, "tally-consume-" + i);
            thread.setDaemon(true);
            thread.start();
            this.threads.add(thread);
        }
    }

    /**
     * Decides {@code attempt} in the next batch and returns the decision once that batch has committed; if
     * the batch fails, returns what {@code alone} decides instead.
     */
    QuotaDecision consume(QuotaAttempt attempt, BiFunction<Boolean, PeriodCounter, QuotaDecision> decide,
                          Supplier<QuotaDecision> alone) {
        CompletableFuture<QuotaDecision> result = new CompletableFuture<>();
        queue.add(new Call(attempt, decide, alone, result));
        try {
            return result.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    private void run() {
        List<Call> batch = new ArrayList<>(MAX_BATCH);
        while (true) {
            batch.clear();
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            boolean stopping = batch.remove(STOP);
            if (!batch.isEmpty()) {
                decide(batch);
            }
            if (stopping) {
                queue.add(STOP); // for the next thread
                return;
            }
        }
    }

    private void decide(List<Call> batch) {
        List<QuotaDecision> decisions;
        try {
            decisions = writer.transactionResult(configuration -> configuration.dsl().connectionResult(connection -> decide(connection, batch)));
        } catch (RuntimeException failed) {
            log.debug("A batch of {} ConsumeQuota calls failed; deciding each alone", batch.size(), failed);
            batch.forEach(this::decideAlone);
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result().complete(decisions.get(i));
        }
    }

    private void decideAlone(Call call) {
        try {
            call.result().complete(call.alone().get());
        } catch (RuntimeException | Error failure) {
            call.result().completeExceptionally(failure);
        }
    }

    private static List<QuotaDecision> decide(Connection connection, List<Call> batch) throws SQLException {
        TreeMap<Row, PeriodCounter> periods = new TreeMap<>();
        batch.forEach(call -> periods.put(periodOf(call.attempt()), PeriodCounter.EMPTY));
        update(connection, CREATE_PERIODS, periods.keySet(), null);
        lock(connection, periods);

        List<QuotaDecision> decisions = new ArrayList<>(batch.size());
        TreeMap<Row, Long> days = new TreeMap<>();
        TreeMap<Row, PeriodCounter> changed = new TreeMap<>();
        for (Call call : batch) {
            QuotaAttempt attempt = call.attempt();
            Row period = periodOf(attempt);
            PeriodCounter counter = periods.get(period);
            boolean fits = attempt.fits(counter);
            if (fits) {
                counter = new PeriodCounter(counter.used() + attempt.cost(), counter.adjustment());
                periods.put(period, counter);
                changed.put(period, counter);
                days.merge(new Row(period.plan(), period.key(), epochDay(attempt.day())), attempt.cost(), Long::sum);
            }
            decisions.add(call.decide().apply(fits, counter));
        }
        if (!changed.isEmpty()) {
            update(connection, WRITE_PERIODS, changed.keySet(), changed.values().stream().map(PeriodCounter::used).toList());
            update(connection, ADD_TO_DAYS, days.keySet(), List.copyOf(days.values()));
        }
        return decisions;
    }

    /** Locks the rows of {@code periods} and reads their counters into it. */
    private static void lock(Connection connection, TreeMap<Row, PeriodCounter> periods) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(LOCK_PERIODS)) {
            bindRows(connection, statement, periods.keySet());
            int locked = 0;
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    periods.put(new Row(rows.getString(1), rows.getString(2), rows.getInt(3)),
                            new PeriodCounter(rows.getLong(4), rows.getLong(5)));
                    locked++;
                }
            }
            if (locked != periods.size()) {
                // A plan deleted in the meantime: the calls, decided alone, say which.
                throw new IllegalStateException(locked + " of " + periods.size() + " counter rows found");
            }
        }
    }

    /** Runs {@code sql} with the rows (and, when given, one number per row) as arrays. */
    private static void update(Connection connection, String sql, Set<Row> rows, List<Long> numbers) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bindRows(connection, statement, rows);
            if (numbers != null) {
                statement.setArray(4, connection.createArrayOf("int8", numbers.toArray()));
            }
            statement.executeUpdate();
        }
    }

    private static void bindRows(Connection connection, PreparedStatement statement, Set<Row> rows) throws SQLException {
        int size = rows.size();
        String[] plans = new String[size];
        String[] keys = new String[size];
        Integer[] numbers = new Integer[size];
        int i = 0;
        for (Row row : rows) {
            plans[i] = row.plan();
            keys[i] = row.key();
            numbers[i] = row.dayOrPeriod();
            i++;
        }
        statement.setArray(1, connection.createArrayOf("varchar", plans));
        statement.setArray(2, connection.createArrayOf("varchar", keys));
        statement.setArray(3, connection.createArrayOf("int4", numbers));
    }

    private static Row periodOf(QuotaAttempt attempt) {
        return new Row(attempt.plan().value(), attempt.key().value(), epochDay(attempt.periodStart()));
    }

    private static int epochDay(java.time.LocalDate day) {
        return Math.toIntExact(day.toEpochDay());
    }

    /** Decides what is queued, then stops the threads. */
    @Override
    public void close() {
        queue.add(STOP);
        for (Thread thread : threads) {
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Call left;
        while ((left = queue.poll()) != null) {
            if (left != STOP) {
                left.result().completeExceptionally(new IllegalStateException("the store is closed"));
            }
        }
    }
}
