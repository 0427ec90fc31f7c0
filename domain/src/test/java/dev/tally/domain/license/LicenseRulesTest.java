package dev.tally.domain.license;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.domain.common.ErrorReason;
import dev.tally.domain.common.FailedPreconditionException;
import dev.tally.domain.common.InvalidParameterException;
import dev.tally.domain.common.LicenseArn;
import dev.tally.domain.common.LimitExceededException;
import dev.tally.domain.common.NotFoundException;
import dev.tally.domain.common.TallyException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Every checkout rule and error, entitlement shapes, and when checkouts stop counting. */
class LicenseRulesTest {

    private static final Instant NOW = Instant.parse("2026-07-15T10:00:00Z");
    private static final Entitlement SEATS = new Entitlement("Seats", EntitlementUnit.COUNT, OptionalLong.of(10), "", false, true);
    private static final Entitlement STORAGE = new Entitlement("Storage", EntitlementUnit.GIGABYTES, OptionalLong.of(100), "", true, false);
    private static final Entitlement TIER = new Entitlement("Tier", EntitlementUnit.NONE, OptionalLong.empty(), "gold", false, false);

    @Test
    void entitlementShapes_followTheirUnit() {
        assertThatThrownBy(() -> new Entitlement("Tier", EntitlementUnit.NONE, OptionalLong.of(1), "gold", false, false))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("NONE");
        assertThatThrownBy(() -> new Entitlement("Seats", EntitlementUnit.COUNT, OptionalLong.empty(), "", false, false))
                .hasMessageContaining("max_count");
        assertThatThrownBy(() -> new Entitlement("Seats", EntitlementUnit.COUNT, OptionalLong.of(-1), "", false, false))
                .hasMessageContaining("max_count");
        assertThatThrownBy(() -> new Entitlement("Seats", EntitlementUnit.COUNT, OptionalLong.of(1), "x", false, false))
                .hasMessageContaining("no value");
        assertThatThrownBy(() -> new Entitlement("", EntitlementUnit.COUNT, OptionalLong.of(1), "", false, false))
                .hasMessageContaining("name");
        assertThat(new Entitlement("Seats", EntitlementUnit.COUNT, OptionalLong.of(0), "", false, false).counted()).isTrue();
        assertThat(TIER.counted()).isFalse();
    }

    @Test
    void checkout_grantsEverythingRequested_countingOnlyCountedUnits() {
        Checkout checkout = decide(license(LicenseStatus.AVAILABLE), CheckoutType.PROVISIONAL, Map.of(),
                want("Seats", "", EntitlementUnit.COUNT), want("Tier", "gold", EntitlementUnit.NONE), want("Storage", "250", EntitlementUnit.GIGABYTES));

        assertThat(checkout.items()).extracting(CheckoutItem::amount).containsExactly(1L, 0L, 250L);
        assertThat(checkout.items()).extracting(CheckoutItem::value).containsExactly("1", "gold", "250");
        assertThat(checkout.expiration()).contains(NOW.plus(Duration.ofMinutes(30)));
        assertThat(checkout.countsUntil()).isEqualTo(NOW.plus(Duration.ofMinutes(30)));
    }

    @Test
    void checkout_upToMaxCount_thenNoEntitlementsAllowed_unlessOverage() {
        License license = license(LicenseStatus.AVAILABLE);

        assertThat(decide(license, CheckoutType.PROVISIONAL, Map.of("Seats", 9L), want("Seats", "1", EntitlementUnit.COUNT))).isNotNull();
        assertError(() -> decide(license, CheckoutType.PROVISIONAL, Map.of("Seats", 10L), want("Seats", "1", EntitlementUnit.COUNT)),
                LimitExceededException.class, ErrorReason.NO_ENTITLEMENTS_ALLOWED, "0 of 10 left");
        assertError(() -> decide(license, CheckoutType.PROVISIONAL, Map.of(), want("Seats", "11", EntitlementUnit.COUNT)),
                LimitExceededException.class, ErrorReason.NO_ENTITLEMENTS_ALLOWED, "11 requested");
        assertThat(decide(license, CheckoutType.PROVISIONAL, Map.of("Storage", 1000L), want("Storage", "5", EntitlementUnit.GIGABYTES)))
                .as("overage").isNotNull();
    }

    @Test
    void checkout_refusesUnknownEntitlements_wrongUnits_andBadAmounts() {
        License license = license(LicenseStatus.AVAILABLE);

        assertError(() -> decide(license, CheckoutType.PROVISIONAL, Map.of(), want("Nope", "1", EntitlementUnit.COUNT)),
                NotFoundException.class, ErrorReason.NO_ENTITLEMENTS_ALLOWED, "Nope");
        assertError(() -> decide(license, CheckoutType.PROVISIONAL, Map.of(), want("Seats", "1", EntitlementUnit.BYTES)),
                InvalidParameterException.class, ErrorReason.VALIDATION, "COUNT");
        assertError(() -> CheckoutRules.amount(0, want("Seats", "1.5", EntitlementUnit.COUNT)),
                InvalidParameterException.class, ErrorReason.VALIDATION, "1.5");
        assertError(() -> CheckoutRules.amount(0, want("Seats", "0", EntitlementUnit.COUNT)),
                InvalidParameterException.class, ErrorReason.VALIDATION, "at least 1");
    }

    @Test
    void checkout_needsAnAvailableLicenseWithinItsValidity() {
        assertError(() -> decide(license(LicenseStatus.DEACTIVATED), CheckoutType.PROVISIONAL, Map.of(), want("Seats", "1", EntitlementUnit.COUNT)),
                FailedPreconditionException.class, ErrorReason.ENTITLEMENT_NOT_ALLOWED, "DEACTIVATED");
        License expired = new License(LicenseArn.generate("123456789012"), "l", "p", "sku", "me", "us-east-1", LicenseStatus.AVAILABLE,
                NOW.minus(Duration.ofDays(10)), Optional.of(NOW), List.of(SEATS), "", RenewType.NONE, 30, 1, NOW);
        assertError(() -> decide(expired, CheckoutType.PROVISIONAL, Map.of(), want("Seats", "1", EntitlementUnit.COUNT)),
                FailedPreconditionException.class, ErrorReason.ENTITLEMENT_NOT_ALLOWED, "valid from");
    }

    @Test
    void perpetualCheckouts_countUntilTheNextRenewal_inUtc() {
        assertThat(RenewType.WEEKLY.nextRenewal(Instant.parse("2026-07-15T10:00:00Z"))).isEqualTo("2026-07-20T00:00:00Z");
        assertThat(RenewType.WEEKLY.nextRenewal(Instant.parse("2026-07-20T00:00:00Z"))).isEqualTo("2026-07-27T00:00:00Z");
        assertThat(RenewType.MONTHLY.nextRenewal(Instant.parse("2026-12-31T23:59:59Z"))).isEqualTo("2027-01-01T00:00:00Z");
        assertThat(RenewType.MONTHLY.nextRenewal(Instant.parse("2028-02-29T12:00:00Z"))).isEqualTo("2028-03-01T00:00:00Z");
        assertThat(RenewType.NONE.nextRenewal(NOW)).isEqualTo(RenewType.NEVER);

        Checkout perpetual = decide(license(LicenseStatus.AVAILABLE), CheckoutType.PERPETUAL, Map.of(), want("Seats", "2", EntitlementUnit.COUNT));
        assertThat(perpetual.expiration()).isEmpty();
        assertThat(perpetual.countsUntil()).isEqualTo("2026-08-01T00:00:00Z");
    }

    private static License license(LicenseStatus status) {
        return new License(LicenseArn.generate("123456789012"), "l", "p", "sku", "me", "us-east-1", status,
                NOW.minus(Duration.ofDays(1)), Optional.empty(), List.of(SEATS, TIER, STORAGE), "", RenewType.MONTHLY, 30, 1, NOW);
    }

    private static CheckoutRequest.RequestedEntitlement want(String name, String value, EntitlementUnit unit) {
        return new CheckoutRequest.RequestedEntitlement(name, value, unit);
    }

    private static Checkout decide(License license, CheckoutType type, Map<String, Long> consumed, CheckoutRequest.RequestedEntitlement... wanted) {
        CheckoutRequest request = new CheckoutRequest(license.arn(), type, List.of(wanted), "", "", "node-1");
        return CheckoutRules.decide(license, request, consumed, NOW, "0123456789abcdef0123456789abcdef");
    }

    private static void assertError(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Class<? extends TallyException> type,
                                    ErrorReason reason, String mentioned) {
        assertThatThrownBy(call).isInstanceOf(type).hasMessageContaining(mentioned)
                .satisfies(e -> assertThat(((TallyException) e).reason()).isEqualTo(reason));
    }
}
