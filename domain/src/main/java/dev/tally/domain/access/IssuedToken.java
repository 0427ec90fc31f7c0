package dev.tally.domain.access;

import java.time.Instant;
import java.util.Objects;

/**
 * An identity token just issued: its text (shown once), when it stops being accepted, and the temporary AWS
 * credentials with the same scope and expiry.
 */
public record IssuedToken(String token, Instant expiresAt, AwsCredentials credentials) {

    /**
     * Temporary AWS credentials, as STS hands out: SDKs sign with the key id and secret and send the session
     * token as {@code X-Amz-Security-Token}. The session token is the identity token itself.
     */
    public record AwsCredentials(String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration) {

        public AwsCredentials {
            Objects.requireNonNull(accessKeyId, "accessKeyId");
            Objects.requireNonNull(secretAccessKey, "secretAccessKey");
            Objects.requireNonNull(sessionToken, "sessionToken");
            Objects.requireNonNull(expiration, "expiration");
        }

        @Override
        public String toString() {
            return "AwsCredentials[accessKeyId=" + accessKeyId + ", expiration=" + expiration + "]";
        }
    }

    public IssuedToken {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(credentials, "credentials");
    }

    @Override
    public String toString() {
        return "IssuedToken[expiresAt=" + expiresAt + ", credentials=" + credentials + "]";
    }
}
