package dev.tally.domain.access;

/** The part of a developer key authentication needs: which key, its digest, and whether it still counts. */
public record StoredDeveloperCredential(DeveloperKeyId keyId, String sha256, boolean active) {
}
