package dev.tally.persistence;

import static dev.tally.persistence.jooq.Tables.LICENSE_CHECKOUT_ITEM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.domain.common.Caller;
import dev.tally.domain.common.ConflictException;
import dev.tally.domain.common.FailedPreconditionException;
import dev.tally.domain.common.LicenseArn;
import dev.tally.domain.common.LimitExceededException;
import dev.tally.domain.common.NotFoundException;
import dev.tally.domain.common.PageTokens;
import dev.tally.domain.common.Signer;
import dev.tally.domain.license.Checkout;
import dev.tally.domain.license.CheckoutRequest;
import dev.tally.domain.license.CheckoutType;
import dev.tally.domain.license.Entitlement;
import dev.tally.domain.license.EntitlementUnit;
import dev.tally.domain.license.EntitlementUsage;
import dev.tally.domain.license.License;
import dev.tally.domain.license.LicenseManager;
import dev.tally.domain.license.LicenseStatus;
import dev.tally.domain.license.NewLicense;
import dev.tally.domain.license.RenewType;
import dev.tally.domain.testing.TestClock;
import dev.tally.persistence.jooq.Tables;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Licenses over a real store: exact max_count under concurrency, idempotency, expiry and renewals. */
class LicenseStoreIT extends StoreContract {

    private static final Caller ADMIN = new Caller.Developer("0123456789abcdef");

    private final TestClock clock = new TestClock(Instant.parse("2026-07-15T10:00:00Z"));
    private LicenseManager licenses;

    @BeforeEach
    void wireService() {
        PageTokens pageTokens = new PageTokens(new Signer(new JooqServerSecrets(database).secret("signing")));
        licenses = new LicenseManager(new JooqLicenseStore(database), pageTokens, clock, "123456789012");
    }

    @Test
    void concurrentCheckouts_neverPassMaxCount_withoutOverage_andAllPassWithIt() throws Exception {
        LicenseArn strict = create(seats(10, false), RenewType.NONE, "").arn();
        LicenseArn lenient = create(seats(10, true), RenewType.NONE, "").arn();

        List<Races.Outcome<Checkout>> strictRace = Races.race(32, () -> checkout(strict, CheckoutType.PROVISIONAL, "1", ""));
        List<Races.Outcome<Checkout>> lenientRace = Races.race(32, () -> checkout(lenient, CheckoutType.PROVISIONAL, "1", ""));

        assertThat(strictRace).filteredOn(Races.Outcome::succeeded).hasSize(10);
        assertThat(strictRace).filteredOn(o -> !o.succeeded())
                .allSatisfy(o -> assertThat(o.failure()).isInstanceOf(LimitExceededException.class));
        assertThat(consumed(strict)).isEqualTo(10);
        assertThat(lenientRace).allSatisfy(o -> assertThat(o.succeeded()).isTrue());
        assertThat(consumed(lenient)).isEqualTo(32);
    }

    @Test
    void sameClientToken_checksOutOnce_alsoConcurrently_andConflictsForAnotherRequest() throws Exception {
        LicenseArn arn = create(seats(10, false), RenewType.NONE, "").arn();

        String first = checkout(arn, CheckoutType.PROVISIONAL, "2", "retry-me").token();
        for (int i = 0; i < 9; i++) {
            assertThat(checkout(arn, CheckoutType.PROVISIONAL, "2", "retry-me").token()).isEqualTo(first);
        }
        List<Races.Outcome<Checkout>> concurrent = Races.race(10, () -> checkout(arn, CheckoutType.PROVISIONAL, "3", "together"));

        assertThat(concurrent).extracting(o -> o.result().token()).containsOnly(concurrent.get(0).result().token());
        assertThat(consumed(arn)).isEqualTo(5);
        assertThatThrownBy(() -> checkout(arn, CheckoutType.PROVISIONAL, "4", "retry-me")).isInstanceOf(ConflictException.class);
        License again = create(seats(5, false), RenewType.NONE, "create-once");
        assertThat(create(seats(5, false), RenewType.NONE, "create-once").arn()).isEqualTo(again.arn());
        assertThatThrownBy(() -> create(seats(6, false), RenewType.NONE, "create-once")).isInstanceOf(ConflictException.class);
    }

    @Test
    void provisionalCheckouts_stopCountingWhenTheyExpire_extendBySameTtl_andCheckIn() {
        LicenseArn arn = create(seats(10, false), RenewType.NONE, "").arn();
        Checkout expiring = checkout(arn, CheckoutType.PROVISIONAL, "3", "");
        Checkout extended = checkout(arn, CheckoutType.PROVISIONAL, "2", "");
        Checkout returned = checkout(arn, CheckoutType.PROVISIONAL, "1", "");
        assertThat(consumed(arn)).isEqualTo(6);

        licenses.checkIn(ADMIN, returned.token());
        clock.advance(Duration.ofMinutes(20));
        Checkout later = licenses.extend(ADMIN, extended.token());
        assertThat(later.expiration()).contains(clock.instant().plus(Duration.ofMinutes(30)));
        clock.advance(Duration.ofMinutes(11));

        assertThat(consumed(arn)).isEqualTo(2);
        assertThatThrownBy(() -> licenses.checkIn(ADMIN, expiring.token())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> licenses.checkIn(ADMIN, returned.token())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> licenses.extend(ADMIN, expiring.token())).isInstanceOf(NotFoundException.class);
        clock.advance(Duration.ofMinutes(20));
        assertThat(consumed(arn)).isZero();
    }

    @Test
    void endedCheckouts_arePurgedAfterTheRetention_andUsageStaysTheSame() {
        LicenseArn arn = create(seats(10, false), RenewType.NONE, "").arn();
        Checkout returned = checkout(arn, CheckoutType.PROVISIONAL, "1", "");
        checkout(arn, CheckoutType.PROVISIONAL, "2", "");
        checkout(arn, CheckoutType.PERPETUAL, "4", "");
        licenses.checkIn(ADMIN, returned.token());
        assertThat(licenses.forgetEndedCheckouts()).isZero();
        assertThat(rows(Tables.LICENSE_CHECKOUT)).isEqualTo(3);

        // A week after the provisional checkout expired (30 minutes after it was made).
        clock.advance(LicenseManager.ENDED_CHECKOUT_RETENTION.plus(Duration.ofMinutes(31)));
        long before = consumed(arn);
        assertThat(licenses.forgetEndedCheckouts()).isEqualTo(2);

        assertThat(consumed(arn)).isEqualTo(before).isEqualTo(4);
        assertThat(rows(Tables.LICENSE_CHECKOUT)).isEqualTo(1);
        assertThat(rows(Tables.LICENSE_CHECKOUT_ITEM)).isEqualTo(1);
        assertThat(rows(Tables.LICENSE_CONSUMPTION)).isEqualTo(1);
        assertThatThrownBy(() -> licenses.checkIn(ADMIN, returned.token())).isInstanceOf(NotFoundException.class);
        assertThat(checkout(arn, CheckoutType.PROVISIONAL, "6", "").token()).isNotBlank();
    }

    @Test
    void deleteLicense_needsTheCurrentVersion_endsCheckouts_andFindForCheckoutPrefersALicenseThatCanCheckOut() {
        License older = create(seats(5, false), RenewType.NONE, "");
        clock.advance(Duration.ofSeconds(1));
        License newer = create(seats(5, false), RenewType.NONE, "");
        assertThat(older.keyFingerprint()).isEqualTo("aws:123456789012:" + older.issuer() + ":issuer-fingerprint");
        assertThat(licenses.findForCheckout(ADMIN, older.productSku(), older.keyFingerprint()).arn()).isEqualTo(older.arn());

        assertThatThrownBy(() -> licenses.delete(ADMIN, older.arn(), "7")).isInstanceOf(dev.tally.domain.common.ResourceConflictException.class)
                .hasMessageContaining("source_version");
        Instant deletedAt = licenses.delete(ADMIN, older.arn(), Long.toString(older.version()));
        assertThat(deletedAt).isEqualTo(clock.instant());
        License deleted = licenses.get(ADMIN, older.arn());
        assertThat(deleted.status()).isEqualTo(LicenseStatus.DELETED);
        assertThat(deleted.version()).isEqualTo(older.version() + 1);
        assertThatThrownBy(() -> licenses.delete(ADMIN, older.arn(), Long.toString(deleted.version())))
                .isInstanceOf(dev.tally.domain.common.FailedPreconditionException.class).hasMessageContaining("already deleted");
        assertThatThrownBy(() -> checkout(older.arn(), CheckoutType.PROVISIONAL, "1", ""))
                .isInstanceOf(dev.tally.domain.common.FailedPreconditionException.class);

        assertThat(licenses.findForCheckout(ADMIN, older.productSku(), older.keyFingerprint()).arn()).isEqualTo(newer.arn());
        licenses.delete(ADMIN, newer.arn(), Long.toString(newer.version()));
        assertThat(licenses.findForCheckout(ADMIN, older.productSku(), older.keyFingerprint()).arn()).isEqualTo(older.arn());
        for (String[] unknown : new String[][] {{"no-such-sku", older.keyFingerprint()}, {older.productSku(), "aws:123456789012:nobody:issuer-fingerprint"},
                {older.productSku(), "not a fingerprint"}, {older.productSku(), "aws:999999999999:" + older.issuer() + ":issuer-fingerprint"}}) {
            assertThatThrownBy(() -> licenses.findForCheckout(ADMIN, unknown[0], unknown[1])).isInstanceOf(NotFoundException.class);
        }
    }

    @Test
    void usageReads_followEveryCheckoutWrite_andExpiry_toTheMillisecond() {
        LicenseArn arn = create(seats(100, false), RenewType.NONE, "").arn();
        assertThat(consumed(arn)).isZero();
        Checkout first = checkout(arn, CheckoutType.PROVISIONAL, "3", "");
        assertThat(consumed(arn)).isEqualTo(3);
        clock.advance(Duration.ofMinutes(10));
        Checkout second = checkout(arn, CheckoutType.PROVISIONAL, "4", "");
        assertThat(consumed(arn)).isEqualTo(7);
        licenses.checkIn(ADMIN, second.token());
        assertThat(consumed(arn)).isEqualTo(3);
        // The first checkout expires 30 minutes after it was made: counted until the millisecond before.
        clock.advance(Duration.ofMinutes(20).minusMillis(1));
        assertThat(consumed(arn)).isEqualTo(3);
        clock.advance(Duration.ofMillis(1));
        assertThat(consumed(arn)).isZero();
        Checkout third = checkout(arn, CheckoutType.PROVISIONAL, "5", "");
        assertThat(consumed(arn)).isEqualTo(5);
        clock.advance(Duration.ofMinutes(29));
        licenses.extend(ADMIN, third.token());
        clock.advance(Duration.ofMinutes(2));
        assertThat(consumed(arn)).as("extended past its first expiry").isEqualTo(5);
        assertThat(first.token()).isNotEqualTo(third.token());
    }

    @Test
    void liveCheckouts_areTheOnesStillCounting_newestFirst() {
        LicenseArn arn = create(seats(100, false), RenewType.NONE, "").arn();
        Checkout first = checkout(arn, CheckoutType.PROVISIONAL, "1", "");
        clock.advance(Duration.ofMinutes(1));
        Checkout second = checkout(arn, CheckoutType.PERPETUAL, "2", "");
        clock.advance(Duration.ofMinutes(1));
        Checkout returned = checkout(arn, CheckoutType.PROVISIONAL, "3", "");
        licenses.checkIn(ADMIN, returned.token());
        assertThat(licenses.liveCheckouts(ADMIN, arn)).extracting(Checkout::token).containsExactly(second.token(), first.token());
        clock.advance(Duration.ofMinutes(30));
        assertThat(licenses.liveCheckouts(ADMIN, arn)).extracting(Checkout::token).containsExactly(second.token());
    }

    private int rows(org.jooq.Table<?> table) {
        return database.read().fetchCount(table);
    }

    @Test
    void perpetualCheckouts_countUntilTheRenewal_andCannotBeCheckedIn() {
        LicenseArn arn = create(seats(10, false), RenewType.WEEKLY, "").arn();
        Checkout perpetual = checkout(arn, CheckoutType.PERPETUAL, "7", "");

        assertThatThrownBy(() -> licenses.checkIn(ADMIN, perpetual.token())).isInstanceOf(FailedPreconditionException.class);
        clock.advance(Duration.ofDays(4));
        assertThat(consumed(arn)).as("Sunday").isEqualTo(7);
        assertThatThrownBy(() -> checkout(arn, CheckoutType.PERPETUAL, "4", "")).isInstanceOf(LimitExceededException.class);
        clock.advance(Duration.ofHours(14));
        assertThat(consumed(arn)).as("Monday, renewed").isZero();
        assertThat(checkout(arn, CheckoutType.PERPETUAL, "10", "").items()).hasSize(1);
    }

    @Test
    void checkInIsRefused_forEntitlementsThatDoNotAllowIt_andStatusChangesStopCheckouts() {
        License license = create(new Entitlement("Cores", EntitlementUnit.COUNT, OptionalLong.of(4), "", false, false), RenewType.NONE, "");
        String token = licenses.checkout(ADMIN, new CheckoutRequest(license.arn(), CheckoutType.PROVISIONAL,
                List.of(new CheckoutRequest.RequestedEntitlement("Cores", "1", EntitlementUnit.COUNT)), "", "", "")).token();

        assertThatThrownBy(() -> licenses.checkIn(ADMIN, token)).isInstanceOf(FailedPreconditionException.class)
                .hasMessageContaining("does not allow check-in");
        License tiered = licenses.create(ADMIN, new NewLicense("Tiered", "p", "s", "Acme", "us-east-1",
                Optional.of(clock.instant().minus(Duration.ofDays(1))), Optional.empty(),
                List.of(seats(3, false), new Entitlement("Tier", EntitlementUnit.NONE, OptionalLong.empty(), "gold", false, false)),
                "", RenewType.NONE, 30, ""));
        String withTier = licenses.checkout(ADMIN, new CheckoutRequest(tiered.arn(), CheckoutType.PROVISIONAL,
                List.of(new CheckoutRequest.RequestedEntitlement("Seats", "1", EntitlementUnit.COUNT),
                        new CheckoutRequest.RequestedEntitlement("Tier", "gold", EntitlementUnit.NONE)), "", "", "")).token();
        licenses.checkIn(ADMIN, withTier);
        assertThat(consumed(tiered.arn())).as("an uncounted tier does not block the check-in").isZero();
        License deactivated = licenses.updateStatus(ADMIN, license.arn(), LicenseStatus.DEACTIVATED);
        assertThat(deactivated.version()).isEqualTo(2);
        assertThatThrownBy(() -> licenses.checkout(ADMIN, new CheckoutRequest(license.arn(), CheckoutType.PROVISIONAL,
                List.of(new CheckoutRequest.RequestedEntitlement("Cores", "1", EntitlementUnit.COUNT)), "", "", "")))
                .isInstanceOf(FailedPreconditionException.class);
        assertThat(licenses.get(ADMIN, license.arn()).status()).isEqualTo(LicenseStatus.DEACTIVATED);
        assertThat(licenses.list(ADMIN, 0, "").items()).extracting(License::arn).contains(license.arn());
    }

    @Test
    void keptConsumption_equalsARecountOfLiveCheckouts_afterConcurrentCheckoutsCheckInsAndExtensions() throws Exception {
        LicenseArn arn = create(seats(1_000_000, false), RenewType.NONE, "").arn();
        List<Checkout> perpetual = new ArrayList<>();
        List<Checkout> provisional = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            perpetual.add(checkout(arn, CheckoutType.PERPETUAL, Integer.toString(i), ""));
            provisional.add(checkout(arn, CheckoutType.PROVISIONAL, Integer.toString(100 + i), ""));
            clock.advance(Duration.ofSeconds(7)); // provisional checkouts end at different moments
        }
        AtomicInteger next = new AtomicInteger();
        // Each provisional checkout is raced for twice: the second check-in of a token finds it gone.
        Races.race(40, () -> {
            int i = next.getAndIncrement() % provisional.size();
            String token = provisional.get(i).token();
            switch (i % 4) {
                case 0 -> licenses.checkIn(ADMIN, token);
                case 1 -> licenses.extend(ADMIN, token);
                case 2 -> checkout(arn, CheckoutType.PROVISIONAL, "3", "");
                default -> checkout(arn, CheckoutType.PERPETUAL, "5", "");
            }
            return i;
        });
        for (int minutes = 0; minutes <= 40; minutes += 10) {
            assertThat(consumed(arn)).as("after %d more minutes", minutes).isEqualTo(recount(arn));
            clock.advance(Duration.ofMinutes(10));
        }
    }

    /** What the live checkout items of {@code arn} hold of Seats, counted from scratch. */
    private long recount(LicenseArn arn) {
        return database.read().select(DSL.sum(LICENSE_CHECKOUT_ITEM.AMOUNT)).from(LICENSE_CHECKOUT_ITEM)
                .where(LICENSE_CHECKOUT_ITEM.LICENSE_ARN.eq(arn.value()), LICENSE_CHECKOUT_ITEM.ENTITLEMENT.eq("Seats"),
                        LICENSE_CHECKOUT_ITEM.COUNTS_UNTIL.gt(clock.instant().toEpochMilli()))
                .fetchOptional(0, Long.class).orElse(0L);
    }

    private static Entitlement seats(long max, boolean overage) {
        return new Entitlement("Seats", EntitlementUnit.COUNT, OptionalLong.of(max), "", overage, true);
    }

    private License create(Entitlement entitlement, RenewType renew, String clientToken) {
        return licenses.create(ADMIN, new NewLicense("Office", "Office Suite", "OFF-1", "Acme", "us-east-1",
                Optional.of(clock.instant().minus(Duration.ofDays(1))), Optional.empty(), List.of(entitlement), "customer-1", renew, 30,
                clientToken));
    }

    private Checkout checkout(LicenseArn arn, CheckoutType type, String value, String clientToken) {
        return licenses.checkout(ADMIN, new CheckoutRequest(arn, type,
                List.of(new CheckoutRequest.RequestedEntitlement("Seats", value, EntitlementUnit.COUNT)), clientToken, "", "node-1"));
    }

    private long consumed(LicenseArn arn) {
        return licenses.usage(ADMIN, arn).stream().filter(u -> u.name().equals("Seats")).findFirst().map(EntitlementUsage::consumed).orElseThrow();
    }
}
