package dev.tally.domain.license;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** CreateLicense's request; {@code provisionalTtlMinutes} 0 means 60, {@code clientToken} empty means none. */
public record NewLicense(String name, String productName, String productSku, String issuer, String homeRegion,
                         Optional<Instant> validFrom, Optional<Instant> validUntil, List<Entitlement> entitlements,
                         String beneficiary, RenewType renewType, int provisionalTtlMinutes, String clientToken) {

    public NewLicense {
        entitlements = List.copyOf(entitlements);
    }

    /** The request as it bears on idempotency: everything but the client token itself. */
    public NewLicense withoutClientToken() {
        return new NewLicense(name, productName, productSku, issuer, homeRegion, validFrom, validUntil, entitlements, beneficiary,
                renewType, provisionalTtlMinutes, "");
    }
}
