package dev.tally.server;

import com.google.inject.Guice;
import com.google.inject.Inject;
import com.google.inject.Injector;
import com.google.inject.Provider;
import com.google.inject.ProvisionException;
import com.google.inject.Stage;
import dev.tally.aws.AwsEndpoint;
import dev.tally.domain.access.port.in.BootstrapAdmin;
import dev.tally.domain.license.LicenseManager;
import dev.tally.domain.quota.QuotaService;
import dev.tally.grpc.GrpcTransport;
import dev.tally.persistence.Database;
import dev.tally.persistence.StoreUnreachableException;
import dev.tally.telemetry.Metrics;
import java.net.BindException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The server's life: check the ports, the data directory and the TLS files; open the store (waiting for
 * PostgreSQL up to {@code --database-wait}, migrating it); make sure an admin key exists; then serve, and
 * probe the store every few seconds so that readiness follows it. On stop: not ready, drain the
 * transports, close the store. Construction does no I/O; {@link #start()} does it all.
 */
public final class TallyServer {

    private static final Logger log = LoggerFactory.getLogger(TallyServer.class);
    private static final int STORE_PROBE_SECONDS = 2;
    static final String ADMIN_TOKEN_FILE = "admin.token";

    private final ServerConfig config;
    private final Database database;
    private final Provider<BootstrapAdmin> bootstrap;
    private final Provider<GrpcTransport> transportProvider;
    private final Provider<QuotaService> quotas;
    private final Provider<LicenseManager> licenses;
    private final Provider<AwsEndpoint> awsEndpointProvider;
    private final Readiness readiness;
    private final Metrics metrics;
    private final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "tally-housekeeping");
        thread.setDaemon(true);
        return thread;
    });
    private GrpcTransport transport;
    private AwsEndpoint awsEndpoint;
    private boolean stopped;

    @Inject
    TallyServer(ServerConfig config, Database database, Provider<BootstrapAdmin> bootstrap,
                Provider<GrpcTransport> transportProvider, Provider<QuotaService> quotas, Provider<LicenseManager> licenses,
                Provider<AwsEndpoint> awsEndpointProvider, Readiness readiness, Metrics metrics) {
        this.licenses = Objects.requireNonNull(licenses, "licenses");
        this.readiness = Objects.requireNonNull(readiness, "readiness");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.config = Objects.requireNonNull(config, "config");
        this.database = Objects.requireNonNull(database, "database");
        this.bootstrap = Objects.requireNonNull(bootstrap, "bootstrap");
        this.transportProvider = Objects.requireNonNull(transportProvider, "transportProvider");
        this.quotas = Objects.requireNonNull(quotas, "quotas");
        this.awsEndpointProvider = Objects.requireNonNull(awsEndpointProvider, "awsEndpointProvider");
    }

    /** Wires the production modules for {@code config}. */
    public static TallyServer create(ServerConfig config) {
        routeJavaUtilLogging();
        // DEVELOPMENT stage keeps singletons lazy: services are built when start() asks, after the store is open.
        Injector injector = Guice.createInjector(Stage.DEVELOPMENT,
                new ConfigModule(config), new TelemetryModule(), new PersistenceModule(), new DomainModule(), new GrpcModule(), new AwsModule(), new ConsoleModule());
        return injector.getInstance(TallyServer.class);
    }

    private static synchronized void routeJavaUtilLogging() {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }

    public synchronized void start() throws IOException {
        try {
            startServing();
        } catch (ProvisionException e) {
            stop();
            // A service that cannot be built (a wrong master key, say) is a start-up failure in its own words,
            // not Guice's report around it.
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        } catch (RuntimeException | IOException | Error e) {
            // Whatever did start is stopped again: a failed start leaves no pool, thread or port behind.
            stop();
            throw e;
        }
    }

    private void startServing() throws IOException {
        long begin = System.nanoTime();
        log.debug("Starting with {}", config);
        StartupChecks.run(config);
        startStore();
        long stored = System.nanoTime();
        ensureAdminToken();
        // Services are built only now: some of them (page tokens) read shared secrets from the open store.
        transport = transportProvider.get();
        if (config.httpPort().isPresent()) {
            awsEndpoint = awsEndpointProvider.get();
            listen(awsEndpoint::start, config.httpPort().getAsInt(), "--http-port");
        }
        listen(transport::start, config.port(), "--port");
        log.info("Started in {} ms since the JVM began (store {} ms, credentials and services {} ms)",
                System.currentTimeMillis() - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime(),
                (stored - begin) / 1_000_000, (System.nanoTime() - stored) / 1_000_000);
        housekeeping.scheduleWithFixedDelay(this::purgeOldRows, 1, 60, TimeUnit.MINUTES);
        housekeeping.scheduleWithFixedDelay(this::probeStore, STORE_PROBE_SECONDS, STORE_PROBE_SECONDS, TimeUnit.SECONDS);
    }

    private interface Start {
        void run() throws IOException;
    }

    /** Binds a listener; a port taken since the start-up check is the same one-line failure. */
    private void listen(Start start, int port, String flag) throws IOException {
        try {
            start.run();
        } catch (IOException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof BindException) {
                    throw StartupChecks.inUse(config.host(), port, flag, e);
                }
            }
            throw e;
        }
    }

    /**
     * Opens the store. PostgreSQL that is down (a database restarting with the servers, say) is tried again
     * with backoff, one line per try, for up to {@code --database-wait}; then start-up fails with one line.
     */
    private void startStore() {
        long deadline = System.nanoTime() + config.databaseWait().toNanos();
        long backoffMillis = 250;
        for (int attempt = 1; ; attempt++) {
            try {
                database.start();
                return;
            } catch (StoreUnreachableException e) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw StartupFailure.unavailable(e.getMessage() + (config.databaseWait().isZero() ? ""
                            : " (waited " + Durations.format(config.databaseWait()) + ", --database-wait)") + ": start it, or fix --database-url", e);
                }
                long sleep = Math.min(backoffMillis, TimeUnit.NANOSECONDS.toMillis(left) + 1);
                log.warn("{}; trying again in {} ms (try {}, giving up after {})", e.getMessage(), sleep, attempt,
                        Durations.format(config.databaseWait()));
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw StartupFailure.unavailable("interrupted while waiting for the database", interrupted);
                }
                backoffMillis = Math.min(backoffMillis * 2, 5_000);
            }
        }
    }

    /** Readiness follows the store: gRPC health NOT_SERVING and {@code /readyz} 503 while it does not answer. */
    private void probeStore() {
        boolean up = database.ping();
        if (readiness.storeUp(up)) {
            transport.serving(up);
        }
    }

    /**
     * What is kept for a while and then not at all: idempotency keys at least a day, as the contract
     * promises; ended license checkouts a week (LicenseManager.ENDED_CHECKOUT_RETENTION).
     */
    private void purgeOldRows() {
        try {
            int keys = quotas.get().forgetOldIdempotencyKeys();
            int checkouts = licenses.get().forgetEndedCheckouts();
            log.debug("Purged {} idempotency keys older than a day and {} checkouts ended over a week ago", keys, checkouts);
        } catch (RuntimeException e) {
            log.warn("Could not purge old rows ({}); will try again in an hour", e.getMessage());
        }
    }

    /** The port being served. */
    public int port() {
        return transport.port();
    }

    /** The HTTP listener's port; the listener must be on (not {@code --http-port off}). */
    public int httpPort() {
        if (awsEndpoint == null) {
            throw new IllegalStateException("the HTTP listener is off");
        }
        return awsEndpoint.port();
    }

    /** Drains and stops; later calls wait for the first to finish and then return. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        readiness.draining();
        housekeeping.shutdownNow();
        try {
            if (transport != null) {
                transport.stop();
            }
            if (awsEndpoint != null) {
                awsEndpoint.stop();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            database.close();
            metrics.close();
            log.info("Tally stopped");
        }
    }

    public void awaitTermination() throws InterruptedException {
        transport.awaitTermination();
    }

    private void ensureAdminToken() {
        Optional<String> created = bootstrap.get().ensureAdminKey(config.bootstrapToken());
        Optional<String> token = created.or(config::bootstrapToken);
        Path file = config.dataDir().resolve(ADMIN_TOKEN_FILE);
        if (token.isEmpty()) {
            log.info("Developer keys exist already; {} left as it is", file);
            return;
        }
        writeOwnerOnly(file, token.get() + "\n");
        log.info(created.isPresent() ? "Created the first developer key; its token is in {} (mode 0600)"
                : "Wrote TALLY_BOOTSTRAP_TOKEN to {} (mode 0600)", file.toAbsolutePath());
    }

    private static void writeOwnerOnly(Path file, String content) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            // Created 0600 from the start and moved into place, so the token is never readable by others.
            Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), ".admin", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temp, content);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
