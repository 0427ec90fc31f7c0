package dev.tally.domain.license;

import dev.tally.domain.common.LicenseArn;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A checkout: its token, what it granted, and until when it counts ({@code countsUntil}: a provisional
 * checkout's expiry, a perpetual one's next renewal or never, or the moment it was checked in).
 */
public record Checkout(String token, LicenseArn license, CheckoutType type, List<CheckoutItem> items, Instant issuedAt,
                       Optional<Instant> expiration, Instant countsUntil, boolean checkedIn, String nodeId, String beneficiary) {

    public Checkout {
        items = List.copyOf(items);
    }

    /** This checkout with {@code items}, as a store assembles it from its row and its items' rows. */
    public Checkout withItems(List<CheckoutItem> items) {
        return new Checkout(token, license, type, items, issuedAt, expiration, countsUntil, checkedIn, nodeId, beneficiary);
    }

    /** This provisional checkout, extended to expire (and stop counting) at {@code until}. */
    public Checkout extendedTo(Instant until) {
        return new Checkout(token, license, type, items, issuedAt, Optional.of(until), until, checkedIn, nodeId, beneficiary);
    }
}
