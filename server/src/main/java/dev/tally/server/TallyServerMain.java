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
@Command(name = "tally-server", mixinStandardHelpOptions = true, sortOptions = false,
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

    @Option(names = "--drain-delay", defaultValue = "${env:TALLY_DRAIN_DELAY:-PT1S}",
            description = "On shutdown, how long health says NOT_SERVING before calls are refused, ISO-8601 (TALLY_DRAIN_DELAY).")
    Duration drainDelay;

    @Option(names = "--shutdown-grace", defaultValue = "${env:TALLY_SHUTDOWN_GRACE:-PT20S}",
            description = "On shutdown, how long in-flight calls may take, ISO-8601 (TALLY_SHUTDOWN_GRACE).")
    Duration shutdownGrace;

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
        commandLine.registerConverter(Duration.class, Duration::parse);
        // A bad setting is one clear line, not a stack trace.
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (!(e instanceof IllegalArgumentException)) {
                log.error("Tally could not start", e);
            }
            cmd.getErr().println("tally-server: " + e.getMessage());
            return e instanceof IllegalArgumentException ? 2 : 1;
        });
        return commandLine;
    }

    ServerConfig config() {
        return new ServerConfig(host, port, dataDir, Optional.ofNullable(databaseUrl).filter(s -> !s.isBlank()), region,
                accountId, rateLimit, rateBurst, sqliteSynchronous, Optional.ofNullable(tlsCert), Optional.ofNullable(tlsKey),
                Optional.ofNullable(tlsClientCa), maxMessageBytes, drainDelay, shutdownGrace,
                Optional.ofNullable(System.getenv("TALLY_BOOTSTRAP_TOKEN")).filter(s -> !s.isBlank()), httpPort(httpPort), awsAuth(awsAuth),
                Optional.ofNullable(System.getenv("TALLY_MASTER_KEY")).filter(s -> !s.isBlank()));
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

    private static ServerConfig.AwsAuth awsAuth(String text) {
        return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "sigv4" -> ServerConfig.AwsAuth.SIGV4;
            case "open" -> ServerConfig.AwsAuth.OPEN;
            default -> throw new IllegalArgumentException("invalid --aws-auth '" + text + "': expected sigv4 or open");
        };
    }

    @Override
    public Integer call() throws Exception {
        TallyServer server = TallyServer.create(config());
        server.start();
        // Handle SIGTERM and SIGINT ourselves rather than in a shutdown hook: the drain then runs to the end
        // and the process exits 0, as a supervisor expects of a clean stop.
        Signal.handle(new Signal("TERM"), signal -> stopInBackground(server));
        Signal.handle(new Signal("INT"), signal -> stopInBackground(server));
        server.awaitTermination();
        server.stop();
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
