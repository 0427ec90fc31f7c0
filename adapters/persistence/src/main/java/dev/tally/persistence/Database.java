package dev.tally.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The store's connections. On SQLite: one writer connection whose transactions begin IMMEDIATE (so a
 * transaction that reads before it writes can never be refused the write lock half-way) and a small pool
 * of reader connections, which WAL lets read while the writer commits. On PostgreSQL: one pool for both.
 * {@link #start()} opens the connections and applies the migrations; nothing happens on construction.
 * The pools and the batches report to the given meter registry.
 */
public final class Database implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Database.class);
    private static final int SQLITE_BUSY_TIMEOUT_MS = 10_000;
    /** Migrations for every store, and those for one store only; versions are unique across all of them. */
    private static final String SHARED_MIGRATIONS = "classpath:db/migration";
    private static final String SQLITE_MIGRATIONS = "classpath:db/sqlite";
    private static final String POSTGRES_MIGRATIONS = "classpath:db/postgresql";
    /** ConsumeQuota batches in flight at once on PostgreSQL: while one commits, the next gathers. */
    private static final int CONSUME_BATCH_THREADS = 2;
    /** Shared read statements in flight at once on PostgreSQL. */
    private static final int SHARED_READ_THREADS = 2;
    // SQL warnings are never used, so never fetched.
    private static final Settings JOOQ = new Settings().withExecuteLogging(false).withRenderSchema(false).withFetchWarnings(false);

    /** Stripes of an aggregate on PostgreSQL: a few times the connections writing at once. */
    static final int STRIPES = 16;

    /** How long a call waits for a pooled PostgreSQL connection before it fails (Hikari's default is 30 s). */
    private static final long CONNECTION_TIMEOUT_MS = 5_000;

    private final DatabaseSettings settings;
    private final MeterRegistry meters;
    private final SQLDialect dialect;
    /** Renders SQL for this store's dialect; it has no connection. */
    private final DSLContext renderer;
    private HikariDataSource writerPool;
    private HikariDataSource readerPool;
    private DSLContext writer;
    private DSLContext reader;
    private GroupCommitWriter groupCommit;
    private PostgresConsumeBatches consumeBatches;
    private SharedReads sharedReads;
    private final LocalReads localReads;

    public Database(DatabaseSettings settings) {
        this(settings, new SimpleMeterRegistry());
    }

    public Database(DatabaseSettings settings, MeterRegistry meters) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.meters = Objects.requireNonNull(meters, "meters");
        this.dialect = settings.postgresUrl().isPresent() ? SQLDialect.POSTGRES : SQLDialect.SQLITE;
        this.renderer = DSL.using(dialect, JOOQ);
        this.localReads = dialect == SQLDialect.SQLITE ? LocalReads.keeping() : LocalReads.none();
    }

    public synchronized void start() {
        if (writer != null) {
            return;
        }
        if (settings.postgresUrl().isPresent()) {
            requireReachable(settings.postgresUrl().get());
            writerPool = pool("tally-postgres", postgres(settings.postgresUrl().get()), settings.poolSize());
            readerPool = writerPool;
            migrate(writerPool, SHARED_MIGRATIONS, POSTGRES_MIGRATIONS);
            writer = DSL.using(writerPool, dialect, JOOQ);
            reader = writer;
            consumeBatches = new PostgresConsumeBatches(writerPool, CONSUME_BATCH_THREADS, meters);
            sharedReads = new SharedReads(readerPool, reader, SHARED_READ_THREADS, meters);
            log.info("Store: PostgreSQL ({} connections)", settings.poolSize());
        } else {
            createPrivately(settings.sqliteFile());
            writerPool = pool("tally-sqlite-writer", sqlite(SQLiteConfig.TransactionMode.IMMEDIATE), 1);
            migrate(writerPool, SHARED_MIGRATIONS, SQLITE_MIGRATIONS);
            readerPool = pool("tally-sqlite-readers", sqlite(SQLiteConfig.TransactionMode.DEFERRED), settings.poolSize());
            writer = DSL.using(writerPool, dialect, JOOQ);
            reader = DSL.using(readerPool, dialect, JOOQ);
            groupCommit = new GroupCommitWriter(writerPool, dialect, JOOQ, meters);
            log.info("Store: SQLite at {} (WAL, synchronous={})", settings.sqliteFile(), settings.sqliteSynchronous());
        }
    }

    /**
     * Creates the SQLite file empty and owner-only (0600) when it is new. SQLite gives its WAL and shared-memory
     * files the database file's mode, so they are private too, whatever the umask.
     */
    private static void createPrivately(java.nio.file.Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (Files.notExists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
        } catch (java.nio.file.FileAlreadyExistsException raced) {
            // Another process made it meanwhile: SQLite's locks take it from here.
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the database file " + file, e);
        }
    }

    /**
     * Fails with {@link StoreUnreachableException} unless one plain connection to PostgreSQL opens, so that a
     * database that is down is one clear failure (which start-up may retry) rather than a pool's stack traces.
     */
    private static void requireReachable(String url) {
        org.postgresql.ds.PGSimpleDataSource dataSource = (org.postgresql.ds.PGSimpleDataSource) postgres(url);
        try (Connection connection = dataSource.getConnection()) {
            connection.isValid(5);
        } catch (SQLException e) {
            String where = String.join(",", dataSource.getServerNames()) + ":" + java.util.Arrays.stream(dataSource.getPortNumbers())
                    .mapToObj(port -> port == 0 ? "5432" : Integer.toString(port)).findFirst().orElse("5432");
            // The URL itself is never shown: it may carry a password.
            throw new StoreUnreachableException("PostgreSQL at " + where + " (database '" + dataSource.getDatabaseName()
                    + "') is unreachable: " + String.valueOf(e.getMessage()).lines().findFirst().orElse("no reason given").replaceAll("[.\\s]+$", ""), e);
        }
    }

    /** Whether the store answers a trivial query now; for readiness, so it never throws. */
    public boolean ping() {
        DSLContext context = reader;
        if (context == null) {
            return false;
        }
        try {
            context.selectOne().fetch();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Runs {@code work} atomically and returns once it is durably committed. On SQLite the writes waiting at
     * the same moment share one commit ({@link GroupCommitWriter}), each in its own savepoint; on PostgreSQL
     * each is a transaction of its own on the pool. {@code work} must not call {@code write} itself.
     */
    public <T> T write(Function<DSLContext, T> work) {
        if (groupCommit != null) {
            return groupCommit.write(work);
        }
        return writer().transactionResult(configuration -> work.apply(configuration.dsl()));
    }

    /**
     * ConsumeQuota's own group commit on PostgreSQL; empty on SQLite, where {@link #write} already shares
     * one commit between all the writes waiting at a moment.
     */
    Optional<PostgresConsumeBatches> consumeBatches() {
        return Optional.ofNullable(consumeBatches);
    }

    /**
     * The stripe a write adds to, of an aggregate kept in stripes (a pool's usage, V14): on PostgreSQL one of
     * {@link #STRIPES} at random, so that concurrent transactions, of this server or another, seldom wait for
     * each other's row; on SQLite, where writes take turns anyway, always 0, so the reads sum one row.
     */
    int stripe() {
        return dialect == SQLDialect.POSTGRES ? ThreadLocalRandom.current().nextInt(STRIPES) : 0;
    }

    /**
     * Whether a write must lock the rows it decides on (PostgreSQL, where transactions run side by side); on
     * SQLite the writer holds the whole database, and {@code FOR UPDATE} does not exist.
     */
    boolean locksRows() {
        return dialect == SQLDialect.POSTGRES;
    }

    /** Hot reads kept until a write changes them: on SQLite, where this process makes every write; none on PostgreSQL. */
    LocalReads localReads() {
        return localReads;
    }

    /** {@code query} rendered once for this store's dialect, to run on a hot path (see {@link HotQuery}). */
    HotQuery hotQuery(Query query, String... parameters) {
        return HotQuery.render(renderer, query, parameters);
    }

    /**
     * Every row {@code query} returns for {@code values}, read outside any transaction. On PostgreSQL the same
     * reads of calls waiting at that moment share one statement ({@link SharedReads}); SQLite reads in
     * process, where a statement costs little more than finding its rows.
     */
    <T> List<T> readShared(HotQuery query, HotQuery.Row<T> row, Object... values) {
        if (sharedReads == null || query.sharedSql() == null) {
            return query.list(read(), row, values);
        }
        return sharedReads.list(query, row, values);
    }

    /** Shared reads on PostgreSQL; empty on SQLite. */
    Optional<SharedReads> sharedReads() {
        return Optional.ofNullable(sharedReads);
    }

    /** A context for reads outside a transaction. */
    public DSLContext read() {
        if (reader == null) {
            throw new IllegalStateException("the database has not been started");
        }
        return reader;
    }

    private DSLContext writer() {
        if (writer == null) {
            throw new IllegalStateException("the database has not been started");
        }
        return writer;
    }

    @Override
    public synchronized void close() {
        if (sharedReads != null) {
            sharedReads.close();
            sharedReads = null;
        }
        if (consumeBatches != null) {
            consumeBatches.close();
            consumeBatches = null;
        }
        if (groupCommit != null) {
            groupCommit.close();
            groupCommit = null;
        }
        if (readerPool != null && readerPool != writerPool) {
            readerPool.close();
        }
        if (writerPool != null) {
            writerPool.close();
        }
        writer = null;
        reader = null;
    }

    private DataSource sqlite(SQLiteConfig.TransactionMode mode) {
        // sqlite-jdbc applies pragmas given as connection properties on every new connection.
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.valueOf(settings.sqliteSynchronous()));
        config.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MS);
        config.enforceForeignKeys(true);
        config.setTransactionMode(mode);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + settings.sqliteFile().toAbsolutePath());
        return new StatementCachingDataSource(dataSource);
    }

    private static DataSource postgres(String url) {
        org.postgresql.ds.PGSimpleDataSource dataSource = new org.postgresql.ds.PGSimpleDataSource();
        dataSource.setUrl(url);
        return dataSource;
    }

    private HikariDataSource pool(String name, DataSource dataSource, int size) {
        HikariConfig config = new HikariConfig();
        config.setMetricRegistry(meters);
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        config.setPoolName(name);
        config.setDataSource(dataSource);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        return new HikariDataSource(config);
    }

    private static void migrate(DataSource dataSource, String... locations) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations(locations)
                .load()
                .migrate();
    }
}
