package dev.tally.grpc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the gRPC server listens and protects itself.
 *
 * @param drainDelay how long health reports NOT_SERVING before the server stops taking calls, so load
 *                   balancers can steer new calls elsewhere first
 * @param shutdownGrace how long in-flight calls may take to finish before they are cancelled
 * @param callThreads how many calls run at once, not counting those waiting for a commit
 * @param requestTimeout how long a call may take to send its whole request before it is ended
 * @param idleTimeout how long a connection may stay without calls before it is closed
 */
public record TransportSettings(String host, int port, int maxMessageBytes, int maxMetadataBytes,
                                Optional<Tls> tls,
                                Duration drainDelay, Duration shutdownGrace, int callThreads, Duration requestTimeout,
                                Duration idleTimeout) {

    /** Certificate and key files (PEM); with {@code clientCa}, clients must present a certificate it signed. */
    public record Tls(Path certChain, Path privateKey, Optional<Path> clientCa) {
    }

    public TransportSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(drainDelay, "drainDelay");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (callThreads < 1) {
            throw new IllegalArgumentException("callThreads must be at least 1, not " + callThreads);
        }
    }
}
