package dev.tally.domain.license;

import dev.tally.domain.common.LicenseArn;
import java.util.List;

/** CheckoutLicense's request; each item's value is a decimal amount ("" means 1) or, for NONE, the tier. */
public record CheckoutRequest(LicenseArn license, CheckoutType type, List<RequestedEntitlement> entitlements, String clientToken,
                              String beneficiary, String nodeId) {

    /** One requested entitlement. */
    public record RequestedEntitlement(String name, String value, EntitlementUnit unit) {
    }

    public CheckoutRequest {
        entitlements = List.copyOf(entitlements);
    }
}
