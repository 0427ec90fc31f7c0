package dev.tally.domain.license;

import dev.tally.domain.common.LicenseArn;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A license: who issued what to whom, when it is valid, its entitlements in order, and how checkouts count. */
public record License(LicenseArn arn, String name, String productName, String productSku, String issuer, String homeRegion,
                      LicenseStatus status, Instant validFrom, Optional<Instant> validUntil, List<Entitlement> entitlements,
                      String beneficiary, RenewType renewType, int provisionalTtlMinutes, long version, Instant createdAt) {

    private static final String FINGERPRINT_SUFFIX = ":issuer-fingerprint";

    public License {
        Objects.requireNonNull(arn, "arn");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(validFrom, "validFrom");
        Objects.requireNonNull(validUntil, "validUntil");
        Objects.requireNonNull(renewType, "renewType");
        entitlements = List.copyOf(entitlements);
    }

    /** This license with {@code entitlements}, as a store assembles it from its row and its entitlements' rows. */
    public License withEntitlements(List<Entitlement> entitlements) {
        return new License(arn, name, productName, productSku, issuer, homeRegion, status, validFrom, validUntil, entitlements,
                beneficiary, renewType, provisionalTtlMinutes, version, createdAt);
    }

    public Optional<Entitlement> entitlement(String name) {
        return entitlements.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /**
     * The issuer's key fingerprint, which AWS's CheckoutLicense names a license by (with its product SKU):
     * {@code aws:<account>:<issuer name>:issuer-fingerprint}, the form AWS Marketplace's licenses use.
     */
    public String keyFingerprint() {
        return "aws:" + arn.accountId() + ":" + issuer + FINGERPRINT_SUFFIX;
    }

    /** The issuer name a fingerprint of this account names, if it is one. */
    public static Optional<String> issuerOf(String keyFingerprint, String accountId) {
        String prefix = "aws:" + accountId + ":";
        if (keyFingerprint.startsWith(prefix) && keyFingerprint.endsWith(FINGERPRINT_SUFFIX)
                && keyFingerprint.length() > prefix.length() + FINGERPRINT_SUFFIX.length()) {
            return Optional.of(keyFingerprint.substring(prefix.length(), keyFingerprint.length() - FINGERPRINT_SUFFIX.length()));
        }
        return Optional.empty();
    }

    /** Whether {@code now} lies in [validFrom, validUntil). */
    public boolean validAt(Instant now) {
        return !now.isBefore(validFrom) && validUntil.map(now::isBefore).orElse(true);
    }
}
