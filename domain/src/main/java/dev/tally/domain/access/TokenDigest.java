package dev.tally.domain.access;

import dev.tally.domain.common.Digests;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * What the store keeps of a bearer token: its SHA-256, and the first 16 hex digits of it as a non-secret
 * lookup key. A presented token is found by lookup, then its full digest is compared in constant time.
 */
public record TokenDigest(String lookup, String sha256) {

    public TokenDigest {
        Objects.requireNonNull(lookup, "lookup");
        Objects.requireNonNull(sha256, "sha256");
    }

    public static TokenDigest of(String token) {
        String hex = Digests.sha256(token);
        return new TokenDigest(hex.substring(0, 16), hex);
    }

    /** Constant-time comparison of the full digests. */
    public boolean matches(String storedSha256) {
        return MessageDigest.isEqual(sha256.getBytes(StandardCharsets.US_ASCII),
                storedSha256.getBytes(StandardCharsets.US_ASCII));
    }
}
