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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Param;
import org.jooq.Result;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/** Licenses and checkouts in {@code license}, {@code license_entitlement}, {@code license_checkout(_item)}. */
public final class JooqLicenseStore implements LicenseStore {

    /** A license's columns in the order {@link #license(ResultSet, List)} reads them (its request hash last). */
    private static final List<Field<?>> LICENSE_COLUMNS = List.of(LICENSE.LICENSE_ARN, LICENSE.NAME, LICENSE.PRODUCT_NAME,
            LICENSE.PRODUCT_SKU, LICENSE.ISSUER_NAME, LICENSE.HOME_REGION, LICENSE.STATUS, LICENSE.VALID_FROM, LICENSE.VALID_UNTIL,
            LICENSE.BENEFICIARY, LICENSE.RENEW_TYPE, LICENSE.TTL_MINUTES, LICENSE.VERSION, LICENSE.CREATED_AT, LICENSE.REQUEST_SHA256);
    /** An entitlement's columns in the order {@link #entitlement} reads them, after its license's ARN. */
    private static final List<Field<?>> ENTITLEMENT_COLUMNS = List.of(LICENSE_ENTITLEMENT.LICENSE_ARN, LICENSE_ENTITLEMENT.NAME,
            LICENSE_ENTITLEMENT.UNIT, LICENSE_ENTITLEMENT.MAX_COUNT, LICENSE_ENTITLEMENT.VALUE, LICENSE_ENTITLEMENT.OVERAGE,
            LICENSE_ENTITLEMENT.ALLOW_CHECK_IN);
    /** A checkout's columns in the order {@link #checkout(ResultSet)} reads them. */
    private static final List<Field<?>> CHECKOUT_COLUMNS = List.of(LICENSE_CHECKOUT.TOKEN, LICENSE_CHECKOUT.LICENSE_ARN,
            LICENSE_CHECKOUT.CHECKOUT_TYPE, LICENSE_CHECKOUT.ISSUED_AT, LICENSE_CHECKOUT.EXPIRES_AT, LICENSE_CHECKOUT.COUNTS_UNTIL,
            LICENSE_CHECKOUT.CHECKED_IN, LICENSE_CHECKOUT.NODE_ID, LICENSE_CHECKOUT.BENEFICIARY, LICENSE_CHECKOUT.REQUEST_SHA256);
    /** A checkout item's columns in the order {@link #storedItem} reads them. */
    private static final List<Field<?>> ITEM_COLUMNS = List.of(LICENSE_CHECKOUT_ITEM.ENTITLEMENT, LICENSE_CHECKOUT_ITEM.VALUE,
            LICENSE_CHECKOUT_ITEM.UNIT, LICENSE_CHECKOUT_ITEM.AMOUNT, LICENSE_CHECKOUT_ITEM.COUNTS_UNTIL);

    /** Licenses whose entitlements are kept; past it the keeping starts over, so memory stays bounded. */
    private static final int MAX_KEPT_ENTITLEMENTS = 10_000;

    private final Database database;
    // Checkouts, check-ins and extensions, and the reads they make, rendered once (see HotQuery).
    /** What live checkouts hold of each entitlement, read on every checkout and GetLicenseUsage (see V6). */
    private final HotQuery consumption;
    private final HotQuery lockLicense;
    private final HotQuery entitlementsOf;
    private final HotQuery checkoutByToken;
    private final HotQuery checkoutByClientToken;
    private final HotQuery itemsOf;
    private final HotQuery insertCheckout;
    private final HotQuery insertItem;
    private final HotQuery moveCheckout;
    private final HotQuery moveItems;
    private final HotQuery addConsumption;
    private final HotQuery takeConsumption;
    private final HotQuery dropConsumption;
    /**
     * Each license's entitlements, as read on its first checkout here. A license's entitlements never change once
     * it is created (only its status and version do, and those are read under its lock on every checkout).
     */
    private final Map<String, List<Entitlement>> entitlements = new ConcurrentHashMap<>();

    public JooqLicenseStore(Database database) {
        this.database = Objects.requireNonNull(database, "database");
        Param<String> arn = DSL.param("arn", LICENSE.LICENSE_ARN);
        Param<String> token = DSL.param("token", LICENSE_CHECKOUT.TOKEN);
        Param<Long> until = DSL.param("until", SQLDataType.BIGINT);
        Param<String> entitlement = DSL.param("entitlement", LICENSE_CONSUMPTION.ENTITLEMENT);
        Param<Long> amount = DSL.param("amount", SQLDataType.BIGINT);
        this.consumption = database.hotQuery(DSL.select(LICENSE_CONSUMPTION.ENTITLEMENT, DSL.sum(LICENSE_CONSUMPTION.AMOUNT),
                        DSL.min(LICENSE_CONSUMPTION.COUNTS_UNTIL))
                .from(LICENSE_CONSUMPTION)
                .where(LICENSE_CONSUMPTION.LICENSE_ARN.eq(DSL.param("license", LICENSE_CONSUMPTION.LICENSE_ARN)))
                .and(LICENSE_CONSUMPTION.COUNTS_UNTIL.gt(DSL.param("now", LICENSE_CONSUMPTION.COUNTS_UNTIL)))
                .groupBy(LICENSE_CONSUMPTION.ENTITLEMENT), "license", "now");
        // The license's row lock (PostgreSQL; SQLite's writer holds the database) makes checkouts of one license
        // take turns, so the consumption a checkout reads is still true when it is stored; it returns the license.
        // FOR NO KEY UPDATE leaves no row version behind (an UPDATE did, each checkout), and lets the checkout's
        // foreign key refer to the row.
        var license = DSL.select(LICENSE_COLUMNS).from(LICENSE).where(LICENSE.LICENSE_ARN.eq(arn));
        this.lockLicense = database.hotQuery(database.locksRows() ? license.forNoKeyUpdate() : license, "arn");
        this.entitlementsOf = database.hotQuery(DSL.select(ENTITLEMENT_COLUMNS).from(LICENSE_ENTITLEMENT)
                .where(LICENSE_ENTITLEMENT.LICENSE_ARN.eq(arn)).orderBy(LICENSE_ENTITLEMENT.POSITION), "arn");
        this.checkoutByToken = database.hotQuery(DSL.select(CHECKOUT_COLUMNS).from(LICENSE_CHECKOUT)
                .where(LICENSE_CHECKOUT.TOKEN.eq(token)), "token");
        this.checkoutByClientToken = database.hotQuery(DSL.select(CHECKOUT_COLUMNS).from(LICENSE_CHECKOUT)
                .where(LICENSE_CHECKOUT.LICENSE_ARN.eq(arn))
                .and(LICENSE_CHECKOUT.CLIENT_TOKEN_SHA256.eq(DSL.param("client_token", LICENSE_CHECKOUT.CLIENT_TOKEN_SHA256))),
                "arn", "client_token");
        this.itemsOf = database.hotQuery(DSL.select(ITEM_COLUMNS).from(LICENSE_CHECKOUT_ITEM)
                .where(LICENSE_CHECKOUT_ITEM.TOKEN.eq(token)).orderBy(LICENSE_CHECKOUT_ITEM.POSITION), "token");
        this.insertCheckout = database.hotQuery(DSL.insertInto(LICENSE_CHECKOUT)
                .set(LICENSE_CHECKOUT.TOKEN, token)
                .set(LICENSE_CHECKOUT.LICENSE_ARN, arn)
                .set(LICENSE_CHECKOUT.CHECKOUT_TYPE, DSL.param("type", LICENSE_CHECKOUT.CHECKOUT_TYPE))
                .set(LICENSE_CHECKOUT.ISSUED_AT, DSL.param("issued", SQLDataType.BIGINT))
                .set(LICENSE_CHECKOUT.EXPIRES_AT, DSL.param("expires", SQLDataType.BIGINT))
                .set(LICENSE_CHECKOUT.COUNTS_UNTIL, until)
                .set(LICENSE_CHECKOUT.CHECKED_IN, DSL.inline(false))
                .set(LICENSE_CHECKOUT.NODE_ID, DSL.param("node", LICENSE_CHECKOUT.NODE_ID))
                .set(LICENSE_CHECKOUT.BENEFICIARY, DSL.param("beneficiary", LICENSE_CHECKOUT.BENEFICIARY))
                .set(LICENSE_CHECKOUT.CLIENT_TOKEN_SHA256, DSL.param("client_token", LICENSE_CHECKOUT.CLIENT_TOKEN_SHA256))
                .set(LICENSE_CHECKOUT.REQUEST_SHA256, DSL.param("request", LICENSE_CHECKOUT.REQUEST_SHA256)),
                "token", "arn", "type", "issued", "expires", "until", "node", "beneficiary", "client_token", "request");
        this.insertItem = database.hotQuery(DSL.insertInto(LICENSE_CHECKOUT_ITEM)
                .set(LICENSE_CHECKOUT_ITEM.TOKEN, token)
                .set(LICENSE_CHECKOUT_ITEM.POSITION, DSL.param("position", SQLDataType.INTEGER))
                .set(LICENSE_CHECKOUT_ITEM.LICENSE_ARN, arn)
                .set(LICENSE_CHECKOUT_ITEM.ENTITLEMENT, entitlement)
                .set(LICENSE_CHECKOUT_ITEM.VALUE, DSL.param("value", LICENSE_CHECKOUT_ITEM.VALUE))
                .set(LICENSE_CHECKOUT_ITEM.UNIT, DSL.param("unit", LICENSE_CHECKOUT_ITEM.UNIT))
                .set(LICENSE_CHECKOUT_ITEM.AMOUNT, amount)
                .set(LICENSE_CHECKOUT_ITEM.COUNTS_UNTIL, until),
                "token", "position", "arn", "entitlement", "value", "unit", "amount", "until");
        // A live checkout stops counting at :until: checked in (then :checked_in) or extended (then :expires).
        this.moveCheckout = database.hotQuery(DSL.update(LICENSE_CHECKOUT)
                .set(LICENSE_CHECKOUT.COUNTS_UNTIL, until)
                .set(LICENSE_CHECKOUT.CHECKED_IN, DSL.param("checked_in", SQLDataType.BOOLEAN))
                .set(LICENSE_CHECKOUT.EXPIRES_AT, DSL.coalesce(DSL.param("expires", SQLDataType.BIGINT), LICENSE_CHECKOUT.EXPIRES_AT))
                .where(LICENSE_CHECKOUT.TOKEN.eq(token), LICENSE_CHECKOUT.LICENSE_ARN.eq(arn), LICENSE_CHECKOUT.CHECKED_IN.isFalse())
                .and(LICENSE_CHECKOUT.COUNTS_UNTIL.gt(DSL.param("now", SQLDataType.BIGINT))),
                "until", "checked_in", "expires", "token", "arn", "now");
        this.moveItems = database.hotQuery(DSL.update(LICENSE_CHECKOUT_ITEM).set(LICENSE_CHECKOUT_ITEM.COUNTS_UNTIL, until)
                .where(LICENSE_CHECKOUT_ITEM.TOKEN.eq(token)), "until", "token");
        Condition consumptionRow = LICENSE_CONSUMPTION.LICENSE_ARN.eq(arn).and(LICENSE_CONSUMPTION.COUNTS_UNTIL.eq(until))
                .and(LICENSE_CONSUMPTION.ENTITLEMENT.eq(entitlement));
        this.addConsumption = database.hotQuery(DSL.insertInto(LICENSE_CONSUMPTION)
                .set(LICENSE_CONSUMPTION.LICENSE_ARN, arn)
                .set(LICENSE_CONSUMPTION.COUNTS_UNTIL, until)
                .set(LICENSE_CONSUMPTION.ENTITLEMENT, entitlement)
                .set(LICENSE_CONSUMPTION.AMOUNT, amount)
                .onConflict(LICENSE_CONSUMPTION.LICENSE_ARN, LICENSE_CONSUMPTION.COUNTS_UNTIL, LICENSE_CONSUMPTION.ENTITLEMENT)
                .doUpdate().set(LICENSE_CONSUMPTION.AMOUNT, LICENSE_CONSUMPTION.AMOUNT.plus(DSL.excluded(LICENSE_CONSUMPTION.AMOUNT))),
                "arn", "until", "entitlement", "amount");
        this.takeConsumption = database.hotQuery(DSL.update(LICENSE_CONSUMPTION)
                .set(LICENSE_CONSUMPTION.AMOUNT, LICENSE_CONSUMPTION.AMOUNT.minus(amount)).where(consumptionRow),
                "arn", "until", "entitlement", "amount");
        this.dropConsumption = database.hotQuery(DSL.deleteFrom(LICENSE_CONSUMPTION).where(consumptionRow)
                .and(LICENSE_CONSUMPTION.AMOUNT.eq(amount)), "arn", "until", "entitlement", "amount");
    }

    @Override
    public KeptLicense create(License license, Optional<String> clientTokenHash, String requestHash) {
        return database.write(tx -> {
            if (clientTokenHash.isPresent()) {
                Result<org.jooq.Record> existing = tx.select(LICENSE_COLUMNS).from(LICENSE)
                        .where(LICENSE.CLIENT_TOKEN_SHA256.eq(clientTokenHash.get())).fetch();
                if (existing.isNotEmpty()) {
                    return new KeptLicense(licenses(tx, existing).get(0), existing.get(0).get(LICENSE.REQUEST_SHA256));
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
        return licenses(read, read.select(LICENSE_COLUMNS).from(LICENSE).where(LICENSE.LICENSE_ARN.eq(arn.value())).fetch())
                .stream().findFirst();
    }

    @Override
    public List<License> licenses(PageRequest request) {
        DSLContext read = database.read();
        return licenses(read, read.select(LICENSE_COLUMNS).from(LICENSE)
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
            return licenses(tx, tx.select(LICENSE_COLUMNS).from(LICENSE).where(LICENSE.LICENSE_ARN.eq(arn.value())).fetch())
                    .stream().findFirst();
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
        return licenses(read, read.select(LICENSE_COLUMNS).from(LICENSE)
                .where(LICENSE.PRODUCT_SKU.eq(productSku), LICENSE.ISSUER_NAME.eq(issuer))
                .orderBy(LICENSE.CREATED_AT, LICENSE.LICENSE_ARN)
                .fetch());
    }

    @Override
    public KeptCheckout checkout(LicenseArn arn, Optional<String> clientTokenHash, String requestHash, Instant now,
                                 BiFunction<License, Map<String, Long>, Checkout> decide) {
        return database.localReads().changing(licenseOwner(arn.value()), () -> database.write(tx -> {
            License locked = lockLicense.first(tx, row -> license(row, List.of()), arn.value())
                    .orElseThrow(() -> new NotFoundException("license_arn", "license '" + arn + "' does not exist"));
            if (clientTokenHash.isPresent()) {
                Optional<KeptCheckout> existing = checkoutByClientToken.first(tx,
                        row -> new KeptCheckout(checkout(row), row.getString(10)), arn.value(), clientTokenHash.get());
                if (existing.isPresent()) {
                    return new KeptCheckout(withItems(tx, existing.get().checkout()), existing.get().requestHash());
                }
            }
            License license = locked.withEntitlements(entitlements(tx, arn));
            Checkout checkout = decide.apply(license, consumption(tx, arn, now));
            long until = Timestamps.millis(checkout.countsUntil());
            insertCheckout.execute(tx, checkout.token(), arn.value(), checkout.type().name(), Timestamps.millis(checkout.issuedAt()),
                    checkout.expiration().map(Timestamps::millis).orElse(null), until, checkout.nodeId(), checkout.beneficiary(),
                    clientTokenHash.orElse(null), requestHash);
            List<Object[]> items = new ArrayList<>();
            List<Object[]> amounts = new ArrayList<>();
            for (int i = 0; i < checkout.items().size(); i++) {
                CheckoutItem item = checkout.items().get(i);
                items.add(new Object[] {checkout.token(), i, arn.value(), item.name(), item.value(), item.unit().name(), item.amount(), until});
                if (item.amount() != 0) {
                    amounts.add(new Object[] {arn.value(), until, item.name(), item.amount()});
                }
            }
            insertItem.executeBatch(tx, items);
            if (!amounts.isEmpty()) {
                addConsumption.executeBatch(tx, amounts);
            }
            return new KeptCheckout(checkout, requestHash);
        }));
    }

    @Override
    public Optional<Checkout> checkout(String token) {
        DSLContext read = database.read();
        return checkoutByToken.first(read, JooqLicenseStore::checkout, token).map(found -> withItems(read, found));
    }

    @Override
    public List<Checkout> liveCheckouts(LicenseArn arn, Instant now, int limit) {
        DSLContext read = database.read();
        return HotQuery.rows(read.select(CHECKOUT_COLUMNS).from(LICENSE_CHECKOUT)
                .where(LICENSE_CHECKOUT.LICENSE_ARN.eq(arn.value()), LICENSE_CHECKOUT.CHECKED_IN.isFalse(),
                        LICENSE_CHECKOUT.COUNTS_UNTIL.gt(Timestamps.millis(now)))
                .orderBy(LICENSE_CHECKOUT.ISSUED_AT.desc(), LICENSE_CHECKOUT.TOKEN)
                .limit(limit)
                .fetch(), JooqLicenseStore::checkout).stream().map(found -> withItems(read, found)).toList();
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
        return moveEnd(license, token, now, now, true, null);
    }

    @Override
    public boolean extend(LicenseArn license, String token, Instant until, Instant now) {
        return moveEnd(license, token, until, now, false, Timestamps.millis(until));
    }

    /**
     * Moves a checkout of {@code license} that is live at {@code now} (not checked in, not expired) to stop
     * counting at {@code until}, checked in or with a new expiry; false when it was not live. Knowing the license
     * up front, the write names what it makes stale without reading the checkout first.
     */
    private boolean moveEnd(LicenseArn license, String token, Instant until, Instant now, boolean checkedIn, Long expires) {
        long end = Timestamps.millis(until);
        return database.localReads().changing(licenseOwner(license.value()), () -> database.write(tx -> {
            if (moveCheckout.execute(tx, end, checkedIn, expires, token, license.value(), Timestamps.millis(now)) != 1) {
                return false;
            }
            // The checkout's row is now locked (or the database is, on SQLite): its items still hold the old end.
            List<Object[]> taken = new ArrayList<>();
            List<Object[]> added = new ArrayList<>();
            for (StoredItem stored : itemsOf.list(tx, JooqLicenseStore::storedItem, token)) {
                if (stored.item().amount() != 0) {
                    taken.add(new Object[] {license.value(), stored.countsUntil(), stored.item().name(), stored.item().amount()});
                    added.add(new Object[] {license.value(), end, stored.item().name(), stored.item().amount()});
                }
            }
            if (!taken.isEmpty()) {
                // A checkout that ends at a moment of its own (most provisional ones) held all of its row: the row goes.
                // Where others end at the same moment, the row keeps what they hold.
                int[] dropped = dropConsumption.executeBatch(tx, taken);
                List<Object[]> shared = new ArrayList<>();
                for (int i = 0; i < dropped.length; i++) {
                    if (dropped[i] == 0) {
                        shared.add(taken.get(i));
                    }
                }
                if (!shared.isEmpty()) {
                    takeConsumption.executeBatch(tx, shared);
                }
                addConsumption.executeBatch(tx, added);
            }
            moveItems.execute(tx, end, token);
            return true;
        }));
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

    /** The license's entitlements, read once (see {@link #entitlements}). */
    private List<Entitlement> entitlements(DSLContext context, LicenseArn arn) {
        List<Entitlement> kept = entitlements.get(arn.value());
        if (kept != null) {
            return kept;
        }
        List<Entitlement> read = List.copyOf(entitlementsOf.list(context, JooqLicenseStore::entitlement, arn.value()));
        if (entitlements.size() >= MAX_KEPT_ENTITLEMENTS) {
            entitlements.clear();
        }
        entitlements.put(arn.value(), read);
        return read;
    }

    /**
     * Licenses read from {@code rows} ({@link #LICENSE_COLUMNS}) with their entitlements, read in one more query:
     * one primary-key range from the least ARN to the greatest covers them all (one license, or a page).
     */
    private static List<License> licenses(DSLContext context, Result<org.jooq.Record> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        List<String> arns = rows.getValues(LICENSE.LICENSE_ARN);
        Map<String, List<Entitlement>> entitlements = HotQuery.rows(context.select(ENTITLEMENT_COLUMNS).from(LICENSE_ENTITLEMENT)
                .where(LICENSE_ENTITLEMENT.LICENSE_ARN.between(Collections.min(arns), Collections.max(arns)))
                .orderBy(LICENSE_ENTITLEMENT.LICENSE_ARN, LICENSE_ENTITLEMENT.POSITION)
                .fetch(), row -> Map.entry(row.getString(1), entitlement(row))).stream()
                .collect(Collectors.groupingBy(Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
        return HotQuery.rows(rows, row -> license(row, entitlements.getOrDefault(row.getString(1), List.of())));
    }

    private static License license(ResultSet row, List<Entitlement> entitlements) throws SQLException {
        long validUntil = row.getLong(9);
        Optional<Instant> end = row.wasNull() ? Optional.empty() : Optional.of(Timestamps.instant(validUntil));
        return new License(new LicenseArn(row.getString(1)), row.getString(2), row.getString(3), row.getString(4), row.getString(5),
                row.getString(6), LicenseStatus.valueOf(row.getString(7)), Timestamps.instant(row.getLong(8)), end, entitlements,
                row.getString(10), RenewType.valueOf(row.getString(11)), row.getInt(12), row.getLong(13), Timestamps.instant(row.getLong(14)));
    }

    private static Entitlement entitlement(ResultSet row) throws SQLException {
        long max = row.getLong(4);
        OptionalLong maxCount = row.wasNull() ? OptionalLong.empty() : OptionalLong.of(max);
        return new Entitlement(row.getString(2), EntitlementUnit.valueOf(row.getString(3)), maxCount, row.getString(5),
                row.getBoolean(6), row.getBoolean(7));
    }

    /** A checkout read from a row of {@link #CHECKOUT_COLUMNS}, without its items (read after, see {@link #withItems}). */
    private static Checkout checkout(ResultSet row) throws SQLException {
        long expires = row.getLong(5);
        Optional<Instant> expiration = row.wasNull() ? Optional.empty() : Optional.of(Timestamps.instant(expires));
        return new Checkout(row.getString(1), new LicenseArn(row.getString(2)), CheckoutType.valueOf(row.getString(3)), List.of(),
                Timestamps.instant(row.getLong(4)), expiration, Timestamps.instant(row.getLong(6)), row.getBoolean(7), row.getString(8),
                row.getString(9));
    }

    /**
     * The checkout with its items, read once its own row's result is closed: a read from the pool never holds one
     * connection while it waits for another.
     */
    private Checkout withItems(DSLContext context, Checkout checkout) {
        return checkout.withItems(itemsOf.list(context, row -> storedItem(row).item(), checkout.token()));
    }

    /** A checkout's item and the moment it stops counting, from a row of {@link #ITEM_COLUMNS}. */
    private record StoredItem(CheckoutItem item, long countsUntil) {
    }

    private static StoredItem storedItem(ResultSet row) throws SQLException {
        return new StoredItem(new CheckoutItem(row.getString(1), row.getString(2), EntitlementUnit.valueOf(row.getString(3)), row.getLong(4)),
                row.getLong(5));
    }
}
