package dev.tally.domain.quota;

/** A decision kept for an idempotency key, with the digest of the request that made it. */
public record StoredDecision(String requestHash, QuotaDecision decision) {
}
