package dev.tally.persistence;

import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for SQLite's single writer. One thread takes every write waiting at that moment, runs each
 * in order inside one transaction (each in a savepoint of its own, so a write that fails rolls back alone),
 * commits once, and only then answers each caller. A durable commit costs the same for one write as for a
 * hundred; nothing is acknowledged before the commit that holds it, and a failed commit fails every write
 * of its batch.
 */
final class GroupCommitWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final int MAX_BATCH = 512;

    private record Task<T>(Function<DSLContext, T> work, CompletableFuture<T> result) {
    }

    /** What one write came to, held until its batch has committed. */
    private record Outcome(Task<?> task, Object value, Throwable failure) {
        @SuppressWarnings({"unchecked", "rawtypes"})
        void deliver() {
            if (failure == null) {
                ((CompletableFuture) task.result()).complete(value);
            } else {
                task.result().completeExceptionally(failure);
            }
        }
    }

    private final DataSource dataSource;
    private final SQLDialect dialect;
    private final Settings settings;
    private final BatchQueue<Task<?>> batches;

    GroupCommitWriter(DataSource dataSource, SQLDialect dialect, Settings settings, MeterRegistry meters) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.settings = settings;
        this.batches = new BatchQueue<>("tally-writer", 1, MAX_BATCH, this::commit,
                task -> task.result().completeExceptionally(new IllegalStateException("the store is closed")), meters);
    }

    /** Runs {@code work} in the next batch and returns its result once that batch has committed. */
    <T> T write(Function<DSLContext, T> work) {
        if (batches.isWorker(Thread.currentThread())) {
            throw new IllegalStateException("a write must not start another write: it would wait for itself");
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        batches.add(new Task<>(work, result));
        return BatchQueue.await(result);
    }

    private void commit(List<Task<?>> batch) {
        List<Outcome> outcomes = new ArrayList<>(batch.size());
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                DSLContext dsl = DSL.using(connection, dialect, settings);
                for (Task<?> task : batch) {
                    outcomes.add(runInSavepoint(connection, dsl, task));
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection);
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException | RuntimeException failed) {
            // Each write runs in a savepoint of its own, so no write's own failure fails the batch: a failed commit
            // is the store's (a full disk, an I/O error; SQLite then rolls the transaction back by itself, and the
            // commit only says there is none). Each caller hears of it; StoreFailures logs it once a minute.
            log.debug("A batch of {} writes failed to commit; none of them is acknowledged", batch.size(), failed);
            RuntimeException failure = StoreFailures.storeFailed(failed, "the write was not stored");
            batch.forEach(task -> task.result().completeExceptionally(failure));
            return;
        }
        outcomes.forEach(Outcome::deliver);
    }

    private static Outcome runInSavepoint(Connection connection, DSLContext dsl, Task<?> task) throws SQLException {
        Savepoint savepoint = connection.setSavepoint();
        try {
            Object value = task.work().apply(dsl);
            connection.releaseSavepoint(savepoint);
            return new Outcome(task, value, null);
        } catch (RuntimeException | Error failure) {
            // Should SQLite have rolled the whole transaction back (a full disk), this throws, and the batch fails
            // as the store's failure (see commit).
            connection.rollback(savepoint);
            connection.releaseSavepoint(savepoint);
            return new Outcome(task, null, failure);
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            log.debug("Rollback after a failed batch failed too: {}", e.getMessage());
        }
    }

    /** Commits what is queued, then stops the thread. */
    @Override
    public void close() {
        batches.close();
    }
}
