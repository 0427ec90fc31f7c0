package dev.tally.persistence;

import static dev.tally.persistence.jooq.Tables.LICENSE;
import static dev.tally.persistence.jooq.Tables.LICENSE_CHECKOUT;
import static dev.tally.persistence.jooq.Tables.LICENSE_CHECKOUT_ITEM;
import static dev.tally.persistence.jooq.Tables.LICENSE_CONSUMPTION;
import static dev.tally.persistence.jooq.Tables.LICENSE_ENTITLEMENT;

import dev.tally.domain.common.LicenseArn;
import dev.tally.domain.common.NotFoundException;
import dev.tally.domain.common.PageRequest;
import dev.tally.domain.license.Checkout;
import dev.tally.domain.license.CheckoutItem;
import dev.tally.domain.license.CheckoutType;
import dev.tally.domain.license.Entitlement;
import dev.tally.domain.license.EntitlementUnit;
import dev.tally.domain.license.KeptCheckout;
import dev.tally.domain.license.KeptLicense;
import dev.tally.domain.license.License;
import dev.tally.domain.license.LicenseStatus;
import dev.tally.domain.license.RenewType;
import dev.tally.domain.license.port.out.LicenseStore;
import dev.tally.persistence.jooq.tables.records.LicenseCheckoutItemRecord;
import dev.tally.persistence.jooq.tables.records.LicenseCheckoutRecord;
import dev.tally.persistence.jooq.tables.records.LicenseRecord;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BiFunction;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

/** Licenses and checkouts in {@code license}, {@code license_entitlement}, {@code license_checkout(_item)}. */
public final class JooqLicenseStore implements LicenseStore {

    private final Database database;
    /** What live checkouts hold of each entitlement, read on every checkout and GetLicenseUsage (see HotQuery and V6). */
    private final HotQuery consumption;

    public JooqLicenseStore(Database database) {
        this.database = Objects.requireNonNull(database, "database");
        this.consumption = database.hotQuery(DSL.select(LICENSE_CONSUMPTION.ENTITLEMENT, DSL.sum(LICENSE_CONSUMPTION.AMOUNT),
                        DSL.min(LICENSE_CONSUMPTION.COUNTS_UNTIL))
                .from(LICENSE_CONSUMPTION)
                .where(LICENSE_CONSUMPTION.LICENSE_ARN.eq(DSL.param("license", LICENSE_CONSUMPTION.LICENSE_ARN)))
                .and(LICENSE_CONSUMPTION.COUNTS_UNTIL.gt(DSL.param("now", LICENSE_CONSUMPTION.COUNTS_UNTIL)))
                .groupBy(LICENSE_CONSUMPTION.ENTITLEMENT), "license", "now");
    }

    @Override
    public KeptLicense create(License license, Optional<String> clientTokenHash, String requestHash) {
        return database.write(tx -> {
            if (clientTokenHash.isPresent()) {
                Optional<LicenseRecord> existing = tx.selectFrom(LICENSE).where(LICENSE.CLIENT_TOKEN_SHA256.eq(clientTokenHash.get()))
                        .fetchOptional();
                if (existing.isPresent()) {
                    return new KeptLicense(toLicense(tx, existing.get()), existing.get().getRequestSha256());
                }
            }
            tx.insertInto(LICENSE)
                    .set(LICENSE.LICENSE_ARN, license.arn().value())
                    .set(LICENSE.NAME, license.name())
                    .set(LICENSE.PRODUCT_NAME, license.productName())
                    .set(LICENSE.PRODUCT_SKU, license.productSku())
                    .set(LICENSE.ISSUER_NAME, license.issuer())
                    .set(LICENSE.HOME_REGION, license.homeRegion())
                    .set(LICENSE.STATUS, license.status().name())
                    .set(LICENSE.VALID_FROM, Timestamps.millis(license.validFrom()))
                    .set(LICENSE.VALID_UNTIL, license.validUntil().map(Timestamps::millis).orElse(null))
                    .set(LICENSE.BENEFICIARY, license.beneficiary())
                    .set(LICENSE.RENEW_TYPE, license.renewType().name())
                    .set(LICENSE.TTL_MINUTES, license.provisionalTtlMinutes())
                    .set(LICENSE.VERSION, license.version())
                    .set(LICENSE.CLIENT_TOKEN_SHA256, clientTokenHash.orElse(null))
                    .set(LICENSE.REQUEST_SHA256, requestHash)
                    .set(LICENSE.CREATED_AT, Timestamps.millis(license.createdAt()))
                    .execute();
            for (int i = 0; i < license.entitlements().size(); i++) {
                Entitlement e = license.entitlements().get(i);
                tx.insertInto(LICENSE_ENTITLEMENT)
                        .set(LICENSE_ENTITLEMENT.LICENSE_ARN, license.arn().value())
                        .set(LICENSE_ENTITLEMENT.POSITION, i)
                        .set(LICENSE_ENTITLEMENT.NAME, e.name())
                        .set(LICENSE_ENTITLEMENT.UNIT, e.unit().name())
                        .set(LICENSE_ENTITLEMENT.MAX_COUNT, e.maxCount().isPresent() ? e.maxCount().getAsLong() : null)
                        .set(LICENSE_ENTITLEMENT.VALUE, e.value())
                        .set(LICENSE_ENTITLEMENT.OVERAGE, e.overage())
                        .set(LICENSE_ENTITLEMENT.ALLOW_CHECK_IN, e.allowCheckIn())
                        .execute();
            }
            return new KeptLicense(license, requestHash);
        });
    }

    @Override
    public Optional<License> license(LicenseArn arn) {
        DSLContext read = database.read();
        return read.selectFrom(LICENSE).where(LICENSE.LICENSE_ARN.eq(arn.value())).fetchOptional().map(r -> toLicense(read, r));
    }

    @Override
    public List<License> licenses(PageRequest request) {
        DSLContext read = database.read();
        return toLicenses(read, read.selectFrom(LICENSE)
                .where(request.after().map(LICENSE.LICENSE_ARN::gt).orElse(DSL.noCondition()))
                .orderBy(LICENSE.LICENSE_ARN)
                .limit(request.size() + 1)
                .fetch());
    }

    @Override
    public Optional<License> updateStatus(LicenseArn arn, LicenseStatus status) {
        return database.write(tx -> {
            tx.update(LICENSE).set(LICENSE.STATUS, status.name()).set(LICENSE.VERSION, LICENSE.VERSION.plus(1))
                    .where(LICENSE.LICENSE_ARN.eq(arn.value())).execute();
            return tx.selectFrom(LICENSE).where(LICENSE.LICENSE_ARN.eq(arn.value())).fetchOptional().map(r -> toLicense(tx, r));
        });
    }

    @Override
    public boolean markDeleted(LicenseArn arn, long version) {
        return database.write(tx -> tx.update(LICENSE).set(LICENSE.STATUS, LicenseStatus.DELETED.name())
                .set(LICENSE.VERSION, LICENSE.VERSION.plus(1))
                .where(LICENSE.LICENSE_ARN.eq(arn.value()), LICENSE.VERSION.eq(version))
                .execute()) == 1;
    }

    @Override
    public List<License> licensesOf(String productSku, String issuer) {
        // Licenses are few (one per customer and product), so this needs no index over 1 KiB text columns.
        DSLContext read = database.read();
        return toLicenses(read, read.selectFrom(LICENSE)
                .where(LICENSE.PRODUCT_SKU.eq(productSku), LICENSE.ISSUER_NAME.eq(issuer))
                .orderBy(LICENSE.CREATED_AT, LICENSE.LICENSE_ARN)
                .fetch());
    }

    @Override
    public KeptCheckout checkout(LicenseArn arn, Optional<String> clientTokenHash, String requestHash, Instant now,
                                 BiFunction<License, Map<String, Long>, Checkout> decide) {
        return database.localReads().changing(licenseOwner(arn.value()), () -> database.write(tx -> {
            // The license's row lock (PostgreSQL; SQLite's writer holds the database) makes checkouts of one license
            // take turns, so the consumption read below is still true when the new checkout is stored.
            if (tx.update(LICENSE).set(LICENSE.VERSION, LICENSE.VERSION).where(LICENSE.LICENSE_ARN.eq(arn.value())).execute() == 0) {
                throw new NotFoundException("license_arn", "license '" + arn + "' does not exist");
            }
            if (clientTokenHash.isPresent()) {
                Optional<LicenseCheckoutRecord> existing = tx.selectFrom(LICENSE_CHECKOUT)
                        .where(LICENSE_CHECKOUT.LICENSE_ARN.eq(arn.value()), LICENSE_CHECKOUT.CLIENT_TOKEN_SHA256.eq(clientTokenHash.get()))
                        .fetchOptional();
                if (existing.isPresent()) {
                    return new KeptCheckout(toCheckout(tx, existing.get()), existing.get().getRequestSha256());
                }
            }
            License license = toLicense(tx, tx.selectFrom(LICENSE).where(LICENSE.LICENSE_ARN.eq(arn.value())).fetchSingle());
            Checkout checkout = decide.apply(license, consumption(tx, arn, now));
            tx.insertInto(LICENSE_CHECKOUT)
                    .set(LICENSE_CHECKOUT.TOKEN, checkout.token())
                    .set(LICENSE_CHECKOUT.LICENSE_ARN, arn.value())
                    .set(LICENSE_CHECKOUT.CHECKOUT_TYPE, checkout.type().name())
                    .set(LICENSE_CHECKOUT.ISSUED_AT, Timestamps.millis(checkout.issuedAt()))
                    .set(LICENSE_CHECKOUT.EXPIRES_AT, checkout.expiration().map(Timestamps::millis).orElse(null))
                    .set(LICENSE_CHECKOUT.COUNTS_UNTIL, Timestamps.millis(checkout.countsUntil()))
                    .set(LICENSE_CHECKOUT.CHECKED_IN, false)
                    .set(LICENSE_CHECKOUT.NODE_ID, checkout.nodeId())
                    .set(LICENSE_CHECKOUT.BENEFICIARY, checkout.beneficiary())
                    .set(LICENSE_CHECKOUT.CLIENT_TOKEN_SHA256, clientTokenHash.orElse(null))
                    .set(LICENSE_CHECKOUT.REQUEST_SHA256, requestHash)
                    .execute();
            for (int i = 0; i < checkout.items().size(); i++) {
                CheckoutItem item = checkout.items().get(i);
                tx.insertInto(LICENSE_CHECKOUT_ITEM)
                        .set(LICENSE_CHECKOUT_ITEM.TOKEN, checkout.token())
                        .set(LICENSE_CHECKOUT_ITEM.POSITION, i)
                        .set(LICENSE_CHECKOUT_ITEM.LICENSE_ARN, arn.value())
                        .set(LICENSE_CHECKOUT_ITEM.ENTITLEMENT, item.name())
                        .set(LICENSE_CHECKOUT_ITEM.VALUE, item.value())
                        .set(LICENSE_CHECKOUT_ITEM.UNIT, item.unit().name())
                        .set(LICENSE_CHECKOUT_ITEM.AMOUNT, item.amount())
                        .set(LICENSE_CHECKOUT_ITEM.COUNTS_UNTIL, Timestamps.millis(checkout.countsUntil()))
                        .execute();
                addConsumption(tx, arn.value(), Timestamps.millis(checkout.countsUntil()), item.name(), item.amount());
            }
            return new KeptCheckout(checkout, requestHash);
        }));
    }

    @Override
    public Optional<Checkout> checkout(String token) {
        DSLContext read = database.read();
        return read.selectFrom(LICENSE_CHECKOUT).where(LICENSE_CHECKOUT.TOKEN.eq(token)).fetchOptional().map(r -> toCheckout(read, r));
    }

    @Override
    public List<Checkout> liveCheckouts(LicenseArn arn, Instant now, int limit) {
        DSLContext read = database.read();
        return read.selectFrom(LICENSE_CHECKOUT)
                .where(LICENSE_CHECKOUT.LICENSE_ARN.eq(arn.value()), LICENSE_CHECKOUT.CHECKED_IN.isFalse(),
                        LICENSE_CHECKOUT.COUNTS_UNTIL.gt(Timestamps.millis(now)))
                .orderBy(LICENSE_CHECKOUT.ISSUED_AT.desc(), LICENSE_CHECKOUT.TOKEN)
                .limit(limit)
                .fetch(r -> toCheckout(read, r));
    }

    @Override
    public int purgeEnded(Instant before) {
        long cutoff = Timestamps.millis(before);
        return database.write(tx -> {
            var ended = DSL.select(LICENSE_CHECKOUT.TOKEN).from(LICENSE_CHECKOUT).where(LICENSE_CHECKOUT.COUNTS_UNTIL.lt(cutoff));
            tx.deleteFrom(LICENSE_CHECKOUT_ITEM).where(LICENSE_CHECKOUT_ITEM.TOKEN.in(ended)).execute();
            // What they held stopped counting at their end, so no reading at or after the cutoff sums these rows.
            tx.deleteFrom(LICENSE_CONSUMPTION).where(LICENSE_CONSUMPTION.COUNTS_UNTIL.lt(cutoff)).execute();
            return tx.deleteFrom(LICENSE_CHECKOUT).where(LICENSE_CHECKOUT.COUNTS_UNTIL.lt(cutoff)).execute();
        });
    }

    @Override
    public boolean checkIn(LicenseArn license, String token, Instant now) {
        return moveEnd(license, token, now, now, Map.of(LICENSE_CHECKOUT.CHECKED_IN, true));
    }

    @Override
    public boolean extend(LicenseArn license, String token, Instant until, Instant now) {
        return moveEnd(license, token, until, now, Map.of(LICENSE_CHECKOUT.EXPIRES_AT, Timestamps.millis(until)));
    }

    /**
     * Moves a checkout of {@code license} that is live at {@code now} (not checked in, not expired) to stop
     * counting at {@code until}, with {@code changes} besides; false when it was not live. Knowing the license
     * up front, the write names what it makes stale without reading the checkout first.
     */
    private boolean moveEnd(LicenseArn license, String token, Instant until, Instant now, Map<Field<?>, Object> changes) {
        return database.localReads().changing(licenseOwner(license.value()), () -> database.write(tx -> {
            Map<Field<?>, Object> update = new HashMap<>(changes);
            update.put(LICENSE_CHECKOUT.COUNTS_UNTIL, Timestamps.millis(until));
            boolean moved = tx.update(LICENSE_CHECKOUT).set(update)
                    .where(LICENSE_CHECKOUT.TOKEN.eq(token), LICENSE_CHECKOUT.LICENSE_ARN.eq(license.value()),
                            LICENSE_CHECKOUT.CHECKED_IN.isFalse(),
                            LICENSE_CHECKOUT.COUNTS_UNTIL.gt(Timestamps.millis(now)))
                    .execute() == 1;
            if (moved) {
                // The checkout's row is now locked (or the database is, on SQLite): its items still hold the old end.
                for (LicenseCheckoutItemRecord item : tx.selectFrom(LICENSE_CHECKOUT_ITEM).where(LICENSE_CHECKOUT_ITEM.TOKEN.eq(token))) {
                    addConsumption(tx, item.getLicenseArn(), item.getCountsUntil(), item.getEntitlement(), -item.getAmount());
                    addConsumption(tx, item.getLicenseArn(), Timestamps.millis(until), item.getEntitlement(), item.getAmount());
                }
                tx.update(LICENSE_CHECKOUT_ITEM).set(LICENSE_CHECKOUT_ITEM.COUNTS_UNTIL, Timestamps.millis(until))
                        .where(LICENSE_CHECKOUT_ITEM.TOKEN.eq(token)).execute();
            }
            return moved;
        }));
    }

    /** Adds {@code amount} (negative to take away) to what checkouts ending at {@code countsUntil} hold. */
    private static void addConsumption(DSLContext tx, String arn, long countsUntil, String entitlement, long amount) {
        if (amount == 0) {
            return;
        }
        Condition row = LICENSE_CONSUMPTION.LICENSE_ARN.eq(arn).and(LICENSE_CONSUMPTION.COUNTS_UNTIL.eq(countsUntil))
                .and(LICENSE_CONSUMPTION.ENTITLEMENT.eq(entitlement));
        if (amount > 0) {
            tx.insertInto(LICENSE_CONSUMPTION)
                    .set(LICENSE_CONSUMPTION.LICENSE_ARN, arn)
                    .set(LICENSE_CONSUMPTION.COUNTS_UNTIL, countsUntil)
                    .set(LICENSE_CONSUMPTION.ENTITLEMENT, entitlement)
                    .set(LICENSE_CONSUMPTION.AMOUNT, amount)
                    .onConflict(LICENSE_CONSUMPTION.LICENSE_ARN, LICENSE_CONSUMPTION.COUNTS_UNTIL, LICENSE_CONSUMPTION.ENTITLEMENT)
                    .doUpdate().set(LICENSE_CONSUMPTION.AMOUNT, LICENSE_CONSUMPTION.AMOUNT.plus(amount))
                    .execute();
        } else {
            tx.update(LICENSE_CONSUMPTION).set(LICENSE_CONSUMPTION.AMOUNT, LICENSE_CONSUMPTION.AMOUNT.plus(amount)).where(row).execute();
            tx.deleteFrom(LICENSE_CONSUMPTION).where(row).and(LICENSE_CONSUMPTION.AMOUNT.eq(0L)).execute();
        }
    }

    @Override
    public Map<String, Long> consumption(LicenseArn arn, Instant now) {
        long at = Timestamps.millis(now);
        return database.localReads().read(licenseOwner(arn.value()), new ConsumptionOf(arn.value()), kept -> kept.holdsAt(at),
                () -> Consumption.of(consumption.list(database, EntitlementTotal::read, arn.value(), at), at)).totals();
    }

    private Map<String, Long> consumption(DSLContext context, LicenseArn arn, Instant now) {
        long at = Timestamps.millis(now);
        return Consumption.of(consumption.list(context, EntitlementTotal::read, arn.value(), at), at).totals();
    }

    /** One entitlement's units counting at the moment read, and when the first of them stops counting. */
    private record EntitlementTotal(String entitlement, long amount, long until) {

        static EntitlementTotal read(ResultSet row) throws SQLException {
            return new EntitlementTotal(row.getString(1), row.getLong(2), row.getLong(3));
        }
    }

    /**
     * A license's consumption as read at {@code readAt}: it holds until a write to the license's checkouts, and
     * until {@code until}, when the first amount it counted stops counting (amounts it did not count never count again).
     */
    private record Consumption(Map<String, Long> totals, long readAt, long until) {

        static Consumption of(List<EntitlementTotal> rows, long readAt) {
            Map<String, Long> totals = new HashMap<>();
            long until = Long.MAX_VALUE;
            for (EntitlementTotal row : rows) {
                totals.put(row.entitlement(), row.amount());
                until = Math.min(until, row.until());
            }
            return new Consumption(Map.copyOf(totals), readAt, until);
        }

        boolean holdsAt(long at) {
            return at >= readAt && at < until;
        }
    }

    /** A license's consumption as kept by {@link LocalReads}. */
    private record ConsumptionOf(String arn) {
    }

    /** What a write to a license's checkouts changes, for {@link LocalReads}. */
    private static String licenseOwner(String arn) {
        return "license/" + arn;
    }


    private static License toLicense(DSLContext context, LicenseRecord r) {
        return toLicenses(context, List.of(r)).get(0);
    }

    /**
     * Licenses with their entitlements, read in one more query: {@code records} are consecutive in ARN order (one
     * license, or a page), so one primary-key range from the first ARN to the last covers exactly their entitlements.
     */
    private static List<License> toLicenses(DSLContext context, List<LicenseRecord> records) {
        if (records.isEmpty()) {
            return List.of();
        }
        Map<String, List<Entitlement>> entitlements = new HashMap<>();
        context.selectFrom(LICENSE_ENTITLEMENT)
                .where(LICENSE_ENTITLEMENT.LICENSE_ARN.between(records.get(0).getLicenseArn(),
                        records.get(records.size() - 1).getLicenseArn()))
                .orderBy(LICENSE_ENTITLEMENT.LICENSE_ARN, LICENSE_ENTITLEMENT.POSITION)
                .forEach(e -> entitlements.computeIfAbsent(e.getLicenseArn(), arn -> new ArrayList<>()).add(new Entitlement(
                        e.getName(), EntitlementUnit.valueOf(e.getUnit()),
                        e.getMaxCount() == null ? OptionalLong.empty() : OptionalLong.of(e.getMaxCount()), e.getValue(),
                        e.getOverage(), e.getAllowCheckIn())));
        return records.stream().map(r -> new License(new LicenseArn(r.getLicenseArn()), r.getName(), r.getProductName(),
                r.getProductSku(), r.getIssuerName(), r.getHomeRegion(), LicenseStatus.valueOf(r.getStatus()),
                Timestamps.instant(r.getValidFrom()), Optional.ofNullable(r.getValidUntil()).map(Timestamps::instant),
                entitlements.getOrDefault(r.getLicenseArn(), List.of()), r.getBeneficiary(), RenewType.valueOf(r.getRenewType()),
                r.getTtlMinutes(), r.getVersion(), Timestamps.instant(r.getCreatedAt()))).toList();
    }

    private static Checkout toCheckout(DSLContext context, LicenseCheckoutRecord r) {
        List<CheckoutItem> items = context.selectFrom(LICENSE_CHECKOUT_ITEM)
                .where(LICENSE_CHECKOUT_ITEM.TOKEN.eq(r.getToken()))
                .orderBy(LICENSE_CHECKOUT_ITEM.POSITION)
                .fetch(i -> new CheckoutItem(i.getEntitlement(), i.getValue(), EntitlementUnit.valueOf(i.getUnit()), i.getAmount()));
        return new Checkout(r.getToken(), new LicenseArn(r.getLicenseArn()), CheckoutType.valueOf(r.getCheckoutType()), items,
                Timestamps.instant(r.getIssuedAt()), Optional.ofNullable(r.getExpiresAt()).map(Timestamps::instant),
                Timestamps.instant(r.getCountsUntil()), r.getCheckedIn(), r.getNodeId(), r.getBeneficiary());
    }
}
