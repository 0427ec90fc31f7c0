package dev.tally.domain.license;

/** A license as stored, with the digest of the CreateLicense request that made it (for client tokens). */
public record KeptLicense(License license, String requestHash) {
}
