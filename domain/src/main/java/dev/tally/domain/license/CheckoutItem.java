package dev.tally.domain.license;

/**
 * One entitlement of a checkout: as requested ({@code value} is the amount for counted units, the tier for
 * NONE), and the {@code amount} it counts toward consumption (0 for NONE).
 */
public record CheckoutItem(String name, String value, EntitlementUnit unit, long amount) {
}
