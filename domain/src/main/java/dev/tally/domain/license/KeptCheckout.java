package dev.tally.domain.license;

/** A checkout as stored, with the digest of the request that made it (for client tokens). */
public record KeptCheckout(Checkout checkout, String requestHash) {
}
