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

    public License {
        Objects.requireNonNull(arn, "arn");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(validFrom, "validFrom");
        Objects.requireNonNull(validUntil, "validUntil");
        Objects.requireNonNull(renewType, "renewType");
        entitlements = List.copyOf(entitlements);
    }

    public Optional<Entitlement> entitlement(String name) {
        return entitlements.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /** Whether {@code now} lies in [validFrom, validUntil). */
    public boolean validAt(Instant now) {
        return !now.isBefore(validFrom) && validUntil.map(now::isBefore).orElse(true);
    }
}
