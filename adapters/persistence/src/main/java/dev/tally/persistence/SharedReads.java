package dev.tally.persistence;

import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;

/**
 * Hot reads on PostgreSQL that concurrent calls share. A point read costs the driver and the database
 * about a round trip each, far more than finding its row, so the same reads waiting at one moment run as
 * one statement, the query's shared form ({@link HotQuery#sharedSql}): each call's values are one element
 * of an array per parameter, and each row comes back with the position of the call it answers. Under load
 * that divides most of a read's cost by the calls sharing it. A read that finds no other under way runs at
 * once on its own thread, as a plain statement: sharing pays only when reads overlap. Every read
 * starts after its call asked, so it sees every write committed before.
 */
final class SharedReads implements AutoCloseable {

    private static final int MAX_BATCH = 256;

    private record Read<T>(HotQuery query, HotQuery.Row<T> row, Object[] values, CompletableFuture<List<T>> answer) {
    }

    private final DataSource pool;
    private final DSLContext alone;
    private final BatchQueue<Read<?>> batches;
    private final AtomicLong statements = new AtomicLong();
    private final AtomicLong sharedCalls = new AtomicLong();
    /** Reads under way, alone or shared. */
    private final AtomicInteger reading = new AtomicInteger();

    /**
     * @param pool    the connections to read on
     * @param alone   reads on that pool, for a read that finds no other under way
     * @param threads shared statements in flight at once
     */
    SharedReads(DataSource pool, DSLContext alone, int threads, MeterRegistry meters) {
        this.pool = pool;
        this.alone = alone;
        this.batches = new BatchQueue<>("tally-reads", threads, MAX_BATCH, this::run,
                read -> read.answer().completeExceptionally(new IllegalStateException("the store is closed")), meters);
    }

    /** Every row {@code query} returns for {@code values}, read by {@code row}. */
    <T> List<T> list(HotQuery query, HotQuery.Row<T> row, Object... values) {
        query.requireValues(values);
        try {
            if (reading.getAndIncrement() == 0) {
                // Alone: nothing to share, so no hand-over to a batch thread either.
                return query.list(alone, row, values);
            }
            CompletableFuture<List<T>> answer = new CompletableFuture<>();
            sharedCalls.incrementAndGet();
            batches.add(new Read<>(query, row, values, answer));
            return BatchQueue.await(answer);
        } finally {
            reading.decrementAndGet();
        }
    }

    /** How many shared statements have run; the tests read it to see that reads share them. */
    long statements() {
        return statements.get();
    }

    /** How many reads have waited for a shared statement. */
    long sharedCalls() {
        return sharedCalls.get();
    }

    private void run(List<Read<?>> batch) {
        Map<HotQuery, List<Read<?>>> byQuery = new IdentityHashMap<>();
        batch.forEach(read -> byQuery.computeIfAbsent(read.query(), query -> new ArrayList<>()).add(read));
        try (Connection connection = pool.getConnection()) {
            for (List<Read<?>> reads : byQuery.values()) {
                try {
                    answer(connection, reads);
                } catch (SQLException | RuntimeException failed) {
                    fail(reads, failed);
                }
            }
        } catch (SQLException | RuntimeException failed) {
            fail(batch, failed);
        }
    }

    private void answer(Connection connection, List<Read<?>> reads) throws SQLException {
        HotQuery query = reads.get(0).query();
        List<List<Object>> answers = new ArrayList<>(reads.size());
        reads.forEach(read -> answers.add(new ArrayList<>()));
        try (PreparedStatement statement = connection.prepareStatement(query.sharedSql())) {
            for (int parameter = 0; parameter < query.valueCount(); parameter++) {
                Object[] values = new Object[reads.size()];
                for (int call = 0; call < values.length; call++) {
                    values[call] = reads.get(call).values()[parameter];
                }
                statement.setArray(parameter + 1, connection.createArrayOf(arrayType(values[0]), values));
            }
            statements.incrementAndGet();
            try (ResultSet result = statement.executeQuery()) {
                int callColumn = result.getMetaData().getColumnCount();
                while (result.next()) {
                    int call = result.getInt(callColumn) - 1;
                    answers.get(call).add(reads.get(call).row().read(result));
                }
            }
        }
        for (int call = 0; call < reads.size(); call++) {
            complete(reads.get(call), answers.get(call));
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void complete(Read<?> read, List<Object> rows) {
        ((CompletableFuture) read.answer()).complete(rows);
    }

    private static void fail(List<Read<?>> reads, Exception failure) {
        RuntimeException thrown = failure instanceof RuntimeException runtime ? runtime
                : new DataAccessException("shared read failed: " + failure.getMessage(), failure);
        reads.forEach(read -> read.answer().completeExceptionally(thrown));
    }

    /** The PostgreSQL element type of an array of such values. */
    private static String arrayType(Object value) {
        if (value instanceof String) {
            return "varchar";
        }
        if (value instanceof Integer) {
            return "int4";
        }
        if (value instanceof Long) {
            return "int8";
        }
        throw new IllegalArgumentException("no shared reads with values of " + (value == null ? "null" : value.getClass()));
    }

    @Override
    public void close() {
        batches.close();
    }
}
