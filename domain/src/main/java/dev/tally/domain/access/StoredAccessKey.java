package dev.tally.domain.access;

/**
 * An access key as stored: its secret sealed under the master key, and whether its developer key is still
 * active (an access key dies with its developer key).
 */
public record StoredAccessKey(AccessKey key, byte[] sealedSecret, boolean developerKeyActive) {
}
