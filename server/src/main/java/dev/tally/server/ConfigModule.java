package dev.tally.server;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.tally.grpc.TransportSettings;
import dev.tally.persistence.DatabaseSettings;
import java.time.Clock;
import java.util.Objects;

/** Binds the validated configuration and what is derived from it, and the clock. */
final class ConfigModule extends AbstractModule {

    /**
     * Reader connections (SQLite) or pooled connections (PostgreSQL), and as many threads to run calls: a call
     * holds at most one connection at a time, so more threads would only wait for one.
     */
    static final int DATABASE_POOL_SIZE = 8;

    private final ServerConfig config;

    ConfigModule(ServerConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    protected void configure() {
        bind(ServerConfig.class).toInstance(config);
        bind(Clock.class).toInstance(Clock.systemUTC());
    }

    @Provides
    @Singleton
    DatabaseSettings databaseSettings() {
        return new DatabaseSettings(config.dataDir(), config.databaseUrl(), config.sqliteSynchronous(), DATABASE_POOL_SIZE);
    }

    @Provides
    @Singleton
    TransportSettings transportSettings() {
        return new TransportSettings(config.host(), config.port(), config.maxMessageBytes(), ServerConfig.MAX_METADATA_BYTES,
                config.tlsCert().map(cert -> new TransportSettings.Tls(cert, config.tlsKey().orElseThrow(), config.tlsClientCa())),
                config.drainDelay(), config.shutdownGrace(), DATABASE_POOL_SIZE, config.requestTimeout(), config.idleTimeout());
    }
}
