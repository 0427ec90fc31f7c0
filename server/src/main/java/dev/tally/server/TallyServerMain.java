package dev.tally.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code tally-server}: reads flags, then {@code TALLY_*} environment variables, then defaults; starts the
 * server and runs until SIGTERM or Ctrl-C, which drain in-flight calls before the process exits 0.
 */
@Command(name = "tally-server", mixinStandardHelpOptions = true, sortOptions = false, subcommands = BackupCommand.class,
        description = "Tally usage service: identity sync storage, API-key quotas and license entitlements over gRPC.")
public final class TallyServerMain implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(TallyServerMain.class);

    @Option(names = "--host", defaultValue = "${env:TALLY_HOST:-0.0.0.0}", description = "Address to listen on (TALLY_HOST).")
    String host;

    @Option(names = "--port", defaultValue = "${env:TALLY_PORT:-50051}", description = "Port to listen on; 0 picks a free one (TALLY_PORT).")
    int port;

    @Option(names = "--data-dir", defaultValue = "${env:TALLY_DATA_DIR:-./data}",
            description = "Directory for tally.db (SQLite) and admin.token (TALLY_DATA_DIR).")
    Path dataDir;

    @Option(names = "--database-url", defaultValue = "${env:TALLY_DATABASE_URL}",
            description = "jdbc:postgresql:// URL; unset for the embedded SQLite (TALLY_DATABASE_URL).")
    String databaseUrl;

    @Option(names = "--region", defaultValue = "${env:TALLY_REGION:-us-east-1}", description = "Region in generated ids (TALLY_REGION).")
    String region;

    @Option(names = "--account-id", defaultValue = "${env:TALLY_ACCOUNT_ID:-000000000000}",
            description = "12-digit account in license ARNs (TALLY_ACCOUNT_ID).")
    String accountId;

    @Option(names = "--rate-limit", defaultValue = "${env:TALLY_RATE_LIMIT:-10000}",
            description = "Requests per second per caller (TALLY_RATE_LIMIT).")
    double rateLimit;

    @Option(names = "--rate-burst", defaultValue = "${env:TALLY_RATE_BURST:-20000}",
            description = "Burst of requests per caller (TALLY_RATE_BURST).")
    double rateBurst;

    @Option(names = "--sqlite-synchronous", defaultValue = "${env:TALLY_SQLITE_SYNCHRONOUS:-FULL}",
            description = "FULL (durable on power loss) or NORMAL (TALLY_SQLITE_SYNCHRONOUS).")
    String sqliteSynchronous;

    @Option(names = "--tls-cert", defaultValue = "${env:TALLY_TLS_CERT}", description = "PEM certificate chain (TALLY_TLS_CERT).")
    Path tlsCert;

    @Option(names = "--tls-key", defaultValue = "${env:TALLY_TLS_KEY}", description = "PEM private key (TALLY_TLS_KEY).")
    Path tlsKey;

    @Option(names = "--tls-client-ca", defaultValue = "${env:TALLY_TLS_CLIENT_CA}",
            description = "PEM CA; clients must present a certificate it signed (TALLY_TLS_CLIENT_CA).")
    Path tlsClientCa;

    @Option(names = "--max-message-bytes", defaultValue = "${env:TALLY_MAX_MESSAGE_BYTES:-8388608}",
            description = "Largest request message accepted (TALLY_MAX_MESSAGE_BYTES).")
    int maxMessageBytes;

    @Option(names = "--drain-delay", defaultValue = "${env:TALLY_DRAIN_DELAY:-1s}",
            description = "On shutdown, how long health says NOT_SERVING before calls are refused: 500ms, 5s, 2m or PT5S (TALLY_DRAIN_DELAY).")
    Duration drainDelay;

    @Option(names = "--shutdown-grace", defaultValue = "${env:TALLY_SHUTDOWN_GRACE:-20s}",
            description = "On shutdown, how long in-flight calls may take (TALLY_SHUTDOWN_GRACE).")
    Duration shutdownGrace;

    @Option(names = "--database-wait", defaultValue = "${env:TALLY_DATABASE_WAIT:-30s}",
            description = "At start, how long to keep trying a PostgreSQL that does not answer; 0 fails at once (TALLY_DATABASE_WAIT).")
    Duration databaseWait;

    @Option(names = "--request-timeout", defaultValue = "${env:TALLY_REQUEST_TIMEOUT:-30s}",
            description = "How long a call may take to send its whole request before it is ended (TALLY_REQUEST_TIMEOUT).")
    Duration requestTimeout;

    @Option(names = "--idle-timeout", defaultValue = "${env:TALLY_IDLE_TIMEOUT:-5m}",
            description = "How long a connection may stay without calls before it is closed (TALLY_IDLE_TIMEOUT).")
    Duration idleTimeout;

    @Option(names = "--access-log", defaultValue = "${env:TALLY_ACCESS_LOG:-on}",
            description = "on: one line per call on the logger tally.access; off saves its cost (TALLY_ACCESS_LOG).")
    String accessLog;

    @Option(names = "--log-format", defaultValue = "${env:TALLY_LOG_FORMAT:-text}",
            description = "text, or json for one JSON object per line (TALLY_LOG_FORMAT). TALLY_LOG_LEVEL sets the level.")
    String logFormat;

    @Option(names = "--http-port", defaultValue = "${env:TALLY_HTTP_PORT:-50080}",
            description = "Port of the HTTP listener (AWS endpoint, metrics); 0 picks a free one, off disables it (TALLY_HTTP_PORT).")
    String httpPort;

    @Option(names = "--aws-auth", defaultValue = "${env:TALLY_AWS_AUTH:-sigv4}",
            description = "sigv4 (as AWS) or open (no signature, acts as a developer: throwaway local runs only) (TALLY_AWS_AUTH).")
    String awsAuth;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new TallyServerMain());
        commandLine.registerConverter(Duration.class, text -> {
            try {
                return Durations.parse(text);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        });
        // A flag that does not parse is one line too, with where to look, not the whole usage.
        commandLine.setParameterExceptionHandler((e, args) -> {
            CommandLine cmd = e.getCommandLine();
            cmd.getErr().println("tally-server: " + e.getMessage());
            cmd.getErr().println("Run 'tally-server --help' for every option.");
            return StartupFailure.CONFIGURATION;
        });
        // Every start-up failure is one clear line and an exit code scripts can trust: 2 for a setting to
        // fix, 1 for something unavailable. The stack trace is kept for DEBUG.
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            log.debug("Tally could not start", e);
            if (e instanceof StartupFailure failure) {
                cmd.getErr().println("tally-server: " + failure.getMessage());
                return failure.exitCode();
            }
            if (e instanceof IllegalArgumentException) {
                cmd.getErr().println("tally-server: " + e.getMessage());
                return StartupFailure.CONFIGURATION;
            }
            cmd.getErr().println("tally-server: could not start: " + oneLine(e));
            return StartupFailure.UNAVAILABLE;
        });
        return commandLine;
    }

    /** The first line of the deepest message, without Java's exception names where a message says more. */
    private static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = e.getMessage() != null ? e.getMessage() : root.getMessage();
        if (root != e && root.getMessage() != null && (message == null || !message.contains(root.getMessage()))) {
            message = (message == null ? "" : message + ": ") + root.getMessage();
        }
        return (message == null ? e.getClass().getSimpleName() : message).lines().findFirst().orElse("").trim();
    }

    ServerConfig config() {
        return new ServerConfig(host, port, dataDir, Optional.ofNullable(databaseUrl).filter(s -> !s.isBlank()), region,
                accountId, rateLimit, rateBurst, sqliteSynchronous, Optional.ofNullable(tlsCert), Optional.ofNullable(tlsKey),
                Optional.ofNullable(tlsClientCa), maxMessageBytes, drainDelay, shutdownGrace,
                Optional.ofNullable(System.getenv("TALLY_BOOTSTRAP_TOKEN")).filter(s -> !s.isBlank()), httpPort(httpPort), awsAuth(awsAuth),
                Optional.ofNullable(System.getenv("TALLY_MASTER_KEY")).filter(s -> !s.isBlank()), databaseWait, onOff("--access-log", accessLog),
                requestTimeout, idleTimeout);
    }

    private static OptionalInt httpPort(String text) {
        if (text.equalsIgnoreCase("off")) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(text.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid --http-port '" + text + "': expected 0..65535 or off");
        }
    }

    private static boolean onOff(String flag, String text) {
        return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "on", "true" -> true;
            case "off", "false" -> false;
            default -> throw new IllegalArgumentException("invalid " + flag + " '" + text + "': expected on or off");
        };
    }

    private static ServerConfig.AwsAuth awsAuth(String text) {
        return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "sigv4" -> ServerConfig.AwsAuth.SIGV4;
            case "open" -> ServerConfig.AwsAuth.OPEN;
            default -> throw new IllegalArgumentException("invalid --aws-auth '" + text + "': expected sigv4 or open");
        };
    }

    @Override
    public Integer call() throws Exception {
        Logging.format(logFormat);
        TallyServer server = TallyServer.create(config());
        server.start();
        // Handle SIGTERM and SIGINT ourselves rather than in a shutdown hook: the drain then runs to the end
        // and the process exits 0, as a supervisor expects of a clean stop.
        Signal.handle(new Signal("TERM"), signal -> stopInBackground(server));
        Signal.handle(new Signal("INT"), signal -> stopInBackground(server));
        server.awaitTermination();
        server.stop();
        Logging.stop();
        return 0;
    }

    private static void stopInBackground(TallyServer server) {
        new Thread(() -> {
            try {
                server.stop();
            } catch (RuntimeException e) {
                log.error("Shutdown failed", e);
            }
        }, "tally-shutdown").start();
    }
}
