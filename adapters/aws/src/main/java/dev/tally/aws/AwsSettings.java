package dev.tally.aws;

import dev.tally.http.HttpListener;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the AWS door listens.
 *
 * @param openAuth accept requests without checking signatures, acting as {@code openCaller}: throwaway runs only
 * @param openDeveloperKey the developer key an unsigned request acts as when {@code openAuth}
 * @param callThreads how many requests run at once (they block on the database)
 */
public record AwsSettings(String host, int port, int maxBodyBytes, Optional<HttpListener.Tls> tls, boolean openAuth,
                          String openDeveloperKey, int callThreads, Duration shutdownGrace) {

    public AwsSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(openDeveloperKey, "openDeveloperKey");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    }
}
