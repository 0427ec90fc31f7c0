package dev.tally.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The server's typed configuration, validated on construction: a bad value stops start-up with one line
 * naming the setting, the value and what is expected.
 */
public record ServerConfig(
        String host,
        int port,
        Path dataDir,
        Optional<String> databaseUrl,
        String region,
        String accountId,
        double rateLimit,
        double rateBurst,
        String sqliteSynchronous,
        Optional<Path> tlsCert,
        Optional<Path> tlsKey,
        Optional<Path> tlsClientCa,
        int maxMessageBytes,
        Duration drainDelay,
        Duration shutdownGrace,
        Optional<String> bootstrapToken,
        OptionalInt httpPort,
        AwsAuth awsAuth,
        Optional<String> masterKey,
        Duration databaseWait,
        boolean accessLog,
        Duration requestTimeout,
        Duration idleTimeout) {

    /** How the AWS endpoint authenticates: SigV4 as AWS does, or not at all (throwaway local runs only). */
    public enum AwsAuth { SIGV4, OPEN }

    private static final Pattern REGION = Pattern.compile("^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$");
    private static final Pattern ACCOUNT = Pattern.compile("^[0-9]{12}$");
    private static final Set<String> SYNCHRONOUS = Set.of("FULL", "NORMAL");
    /** Metadata beyond this is refused; a bearer token and tracing headers fit easily. */
    public static final int MAX_METADATA_BYTES = 8 * 1024;

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(databaseUrl, "databaseUrl");
        Objects.requireNonNull(tlsCert, "tlsCert");
        Objects.requireNonNull(tlsKey, "tlsKey");
        Objects.requireNonNull(tlsClientCa, "tlsClientCa");
        Objects.requireNonNull(drainDelay, "drainDelay");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(bootstrapToken, "bootstrapToken");
        Objects.requireNonNull(httpPort, "httpPort");
        Objects.requireNonNull(awsAuth, "awsAuth");
        Objects.requireNonNull(masterKey, "masterKey");
        Objects.requireNonNull(databaseWait, "databaseWait");
        check(httpPort.isPresent() && (httpPort.getAsInt() < 0 || httpPort.getAsInt() > 65535), "--http-port", httpPort.orElse(0),
                "0..65535 or off");
        check(host.isBlank(), "--host", host, "a host name or address to listen on");
        check(port < 0 || port > 65535, "--port", port, "0..65535");
        check(databaseUrl.isPresent() && !databaseUrl.get().startsWith("jdbc:postgresql:"), "--database-url",
                databaseUrl.orElse(""), "a jdbc:postgresql:// URL (leave it unset for the embedded SQLite)");
        check(region == null || !REGION.matcher(region).matches(), "--region", region, "an AWS region name such as us-east-1");
        check(accountId == null || !ACCOUNT.matcher(accountId).matches(), "--account-id", accountId, "12 digits");
        check(!(rateLimit > 0) || Double.isInfinite(rateLimit), "--rate-limit", rateLimit, "a positive number of requests per second");
        check(!(rateBurst >= 1) || Double.isInfinite(rateBurst), "--rate-burst", rateBurst, "at least 1");
        check(sqliteSynchronous == null || !SYNCHRONOUS.contains(sqliteSynchronous), "--sqlite-synchronous",
                sqliteSynchronous, "FULL or NORMAL");
        check(tlsCert.isPresent() != tlsKey.isPresent(), "--tls-cert/--tls-key", tlsCert.isPresent() ? "only --tls-cert" : "only --tls-key",
                "both or neither");
        check(tlsClientCa.isPresent() && tlsCert.isEmpty(), "--tls-client-ca", tlsClientCa.orElse(null), "to be used with --tls-cert and --tls-key");
        for (Optional<Path> file : java.util.List.of(tlsCert, tlsKey, tlsClientCa)) {
            check(file.isPresent() && !Files.isReadable(file.get()), "TLS file", file.orElse(null), "a readable PEM file");
        }
        check(maxMessageBytes < 1024, "--max-message-bytes", maxMessageBytes, "at least 1024");
        check(drainDelay.isNegative(), "--drain-delay", drainDelay, "zero or more");
        check(shutdownGrace.isNegative(), "--shutdown-grace", shutdownGrace, "zero or more");
        check(databaseWait.isNegative(), "--database-wait", databaseWait, "zero or more");
        check(requestTimeout == null || requestTimeout.compareTo(Duration.ofSeconds(1)) < 0, "--request-timeout", requestTimeout,
                "at least 1s");
        check(idleTimeout == null || idleTimeout.compareTo(Duration.ofSeconds(1)) < 0, "--idle-timeout", idleTimeout, "at least 1s");
        check(httpPort.isPresent() && httpPort.getAsInt() != 0 && httpPort.getAsInt() == port, "--http-port", port,
                "a port other than --port's");
    }

    private static void check(boolean bad, String setting, Object value, String expected) {
        if (bad) {
            throw new IllegalArgumentException("invalid " + setting + " '" + value + "': expected " + expected);
        }
    }

    /** Never prints the secrets: a config logged or shown in a failure must not leak them. */
    @Override
    public String toString() {
        return "ServerConfig[host=" + host + ", port=" + port + ", httpPort=" + (httpPort.isPresent() ? httpPort.getAsInt() : "off")
                + ", dataDir=" + dataDir + ", database=" + (databaseUrl.isPresent() ? "postgresql" : "sqlite") + ", awsAuth=" + awsAuth
                + ", tls=" + tlsCert.isPresent() + "]";
    }
}
