package dev.tally.server.testing;

import dev.tally.persistence.TestStores;
import dev.tally.server.ServerConfig;
import dev.tally.server.TallyServer;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Tally server for tests: the production modules on 127.0.0.1 and a free port, over a SQLite file
 * in a temp directory (or a PostgreSQL schema of its own), called through a real Netty channel.
 */
public final class TestServer implements AutoCloseable {

    private final ServerConfig config;
    private final TallyServer server;
    private final Runnable dropStore;
    private final ManagedChannel channel;

    private TestServer(ServerConfig config, Runnable dropStore) throws IOException {
        this.config = config;
        this.dropStore = dropStore;
        this.server = TallyServer.create(config);
        server.start();
        this.channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    }

    /** Settings a test may change before the server starts. */
    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    public static TestServer start(Path dataDir) throws IOException {
        return builder(dataDir).start();
    }

    public int port() {
        return server.port();
    }

    public String target() {
        return "127.0.0.1:" + port();
    }

    public Path dataDir() {
        return config.dataDir();
    }

    public ManagedChannel channel() {
        return channel;
    }

    /** The HTTP listener's port (AWS endpoint, metrics). */
    public int httpPort() {
        return server.httpPort();
    }

    /** The AWS endpoint's URL, for an SDK's endpoint override. */
    public String httpEndpoint() {
        return "http://127.0.0.1:" + httpPort();
    }

    /** The master key as the server made it in {@code <data-dir>/master.key}, for a second server of one database. */
    public String masterKey() {
        try {
            return Files.readString(config.dataDir().resolve("master.key")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bootstrap developer token, as the server wrote it to {@code <data-dir>/admin.token}. */
    public String adminToken() {
        try {
            return Files.readString(config.dataDir().resolve("admin.token")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code stub} sending {@code authorization: Bearer <token>}. */
    public static <S extends AbstractStub<S>> S withToken(S stub, String token) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers)).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    /** {@code stub} as the bootstrap admin. */
    public <S extends AbstractStub<S>> S asAdmin(S stub) {
        return withToken(stub, adminToken());
    }

    /** Stops the server (draining as in production) while the test keeps running. */
    public void stopServer() {
        server.stop();
    }

    @Override
    public void close() {
        channel.shutdownNow();
        server.stop();
        dropStore.run();
    }

    /** Test server settings; defaults are production's except for the address, port and drain delay. */
    public static final class Builder {
        private final Path dataDir;
        private Optional<String> databaseUrl = Optional.empty();
        private Runnable dropStore = () -> { };
        private double rateLimit = 10_000;
        private double rateBurst = 20_000;
        private Duration drainDelay = Duration.ZERO;
        private Optional<String> bootstrapToken = Optional.empty();
        private int maxMessageBytes = 8 * 1024 * 1024;
        private Optional<Path> tlsCert = Optional.empty();
        private Optional<Path> tlsKey = Optional.empty();
        private Optional<Path> tlsClientCa = Optional.empty();
        private Optional<String> masterKey = Optional.empty();
        private ServerConfig.AwsAuth awsAuth = ServerConfig.AwsAuth.SIGV4;
        private Duration requestTimeout = Duration.ofSeconds(30);

        private Builder(Path dataDir) {
            this.dataDir = dataDir;
        }

        /** Uses a fresh schema of the test PostgreSQL (skipping the test when none is configured). */
        public Builder onPostgres() {
            TestStores.PostgresSchema schema = TestStores.postgresSchema();
            databaseUrl = Optional.of(schema.url());
            dropStore = schema::close;
            return this;
        }

        /** Shares another test server's PostgreSQL schema, as a second server of one deployment would. */
        public Builder sharingDatabaseOf(String url) {
            databaseUrl = Optional.of(url);
            return this;
        }

        public Builder rateLimit(double perSecond, double burst) {
            this.rateLimit = perSecond;
            this.rateBurst = burst;
            return this;
        }

        public Builder drainDelay(Duration delay) {
            this.drainDelay = delay;
            return this;
        }

        public Builder bootstrapToken(String token) {
            this.bootstrapToken = Optional.of(token);
            return this;
        }

        public Builder maxMessageBytes(int bytes) {
            this.maxMessageBytes = bytes;
            return this;
        }

        /** Serves TLS with these PEM files; with {@code clientCa}, clients must present a certificate. */
        public Builder tls(Path cert, Path key, Optional<Path> clientCa) {
            this.tlsCert = Optional.of(cert);
            this.tlsKey = Optional.of(key);
            this.tlsClientCa = clientCa;
            return this;
        }

        /** Uses this master key (base64) instead of the data directory's: servers sharing a database share it. */
        public Builder masterKey(String base64) {
            this.masterKey = Optional.of(base64);
            return this;
        }

        /** How long a call may take to send its request (the server's --request-timeout). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        public Builder awsAuth(ServerConfig.AwsAuth auth) {
            this.awsAuth = auth;
            return this;
        }

        public TestServer start() throws IOException {
            ServerConfig config = new ServerConfig("127.0.0.1", 0, dataDir, databaseUrl, "us-east-1", "123456789012",
                    rateLimit, rateBurst, "FULL", tlsCert, tlsKey, tlsClientCa, maxMessageBytes,
                    drainDelay, Duration.ofSeconds(5), bootstrapToken, java.util.OptionalInt.of(0), awsAuth, masterKey,
                    Duration.ZERO, true, requestTimeout, Duration.ofMinutes(5));
            try {
                return new TestServer(config, dropStore);
            } catch (IOException | RuntimeException e) {
                dropStore.run();
                throw e;
            }
        }
    }
}
