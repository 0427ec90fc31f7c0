package dev.tally.persistence;

import static dev.tally.persistence.jooq.Tables.API_KEY;
import static dev.tally.persistence.jooq.Tables.METADATA_VERSION;
import static dev.tally.persistence.jooq.Tables.USAGE_PLAN;
import static dev.tally.persistence.jooq.Tables.USAGE_DAY;
import static dev.tally.persistence.jooq.Tables.USAGE_PERIOD;
import static dev.tally.persistence.jooq.Tables.USAGE_PLAN_KEY;

import dev.tally.domain.common.ApiKeyId;
import dev.tally.domain.common.ConflictException;
import dev.tally.domain.common.PageRequest;
import dev.tally.domain.common.UsagePlanId;
import dev.tally.domain.quota.ApiKey;
import dev.tally.domain.quota.QuotaPeriod;
import dev.tally.domain.quota.QuotaSettings;
import dev.tally.domain.quota.ThrottleSettings;
import dev.tally.domain.quota.UsagePlan;
import dev.tally.domain.quota.port.out.UsagePlanStore;
import dev.tally.persistence.jooq.tables.records.ApiKeyRecord;
import dev.tally.persistence.jooq.tables.records.UsagePlanRecord;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.exception.IntegrityConstraintViolationException;
import org.jooq.impl.DSL;

/** Usage plans, API keys and associations in {@code usage_plan}, {@code api_key} and {@code usage_plan_key}. */
public final class JooqUsagePlanStore implements UsagePlanStore {

    /** What {@link #readKey} reads, in this order. */
    private static final List<Field<?>> KEY_COLUMNS =
            List.of(API_KEY.KEY_ID, API_KEY.NAME, API_KEY.DESCRIPTION, API_KEY.ENABLED, API_KEY.CREATED_AT);

    private final Database database;
    // ConsumeQuota and GetUsage look keys and associations up whenever their cached copy expires: with
    // thousands of keys in use that is thousands of lookups a second, so they are rendered once (see HotQuery).
    private final HotQuery keyById;
    private final HotQuery keyByDigest;
    private final HotQuery association;

    public JooqUsagePlanStore(Database database) {
        this.database = Objects.requireNonNull(database, "database");
        this.keyById = database.hotQuery(DSL.select(KEY_COLUMNS).from(API_KEY)
                .where(API_KEY.KEY_ID.eq(DSL.param("id", API_KEY.KEY_ID))), "id");
        this.keyByDigest = database.hotQuery(DSL.select(KEY_COLUMNS).from(API_KEY)
                .where(API_KEY.VALUE_SHA256.eq(DSL.param("digest", API_KEY.VALUE_SHA256))), "digest");
        this.association = database.hotQuery(DSL.select(USAGE_PLAN_KEY.KEY_ID).from(USAGE_PLAN_KEY)
                .where(USAGE_PLAN_KEY.PLAN_ID.eq(DSL.param("plan", USAGE_PLAN_KEY.PLAN_ID)))
                .and(USAGE_PLAN_KEY.KEY_ID.eq(DSL.param("key", USAGE_PLAN_KEY.KEY_ID))), "plan", "key");
    }

    @Override
    public void insertPlan(UsagePlan plan) {
        database.write(tx -> tx.insertInto(USAGE_PLAN)
                .set(USAGE_PLAN.PLAN_ID, plan.id().value())
                .set(changeableColumns(plan))
                .set(USAGE_PLAN.TIME_ZONE, plan.timeZone().getId())
                .set(USAGE_PLAN.CREATED_AT, Timestamps.millis(plan.createdAt()))
                .execute());
    }

    @Override
    public Optional<UsagePlan> plan(UsagePlanId id) {
        return database.read().selectFrom(USAGE_PLAN).where(USAGE_PLAN.PLAN_ID.eq(id.value())).fetchOptional(JooqUsagePlanStore::toPlan);
    }

    @Override
    public List<UsagePlan> plans(PageRequest request, Optional<ApiKeyId> key) {
        return database.read().selectFrom(USAGE_PLAN)
                .where(request.after().map(USAGE_PLAN.PLAN_ID::gt).orElse(DSL.noCondition()))
                .and(key.map(k -> DSL.exists(DSL.selectOne().from(USAGE_PLAN_KEY)
                        .where(USAGE_PLAN_KEY.PLAN_ID.eq(USAGE_PLAN.PLAN_ID), USAGE_PLAN_KEY.KEY_ID.eq(k.value())))).orElse(DSL.noCondition()))
                .orderBy(USAGE_PLAN.PLAN_ID)
                .limit(request.size() + 1)
                .fetch(JooqUsagePlanStore::toPlan);
    }

    @Override
    public boolean updatePlan(UsagePlan plan) {
        return database.write(tx -> moved(tx, tx.update(USAGE_PLAN)
                .set(changeableColumns(plan))
                .where(USAGE_PLAN.PLAN_ID.eq(plan.id().value()))
                .execute()) == 1);
    }

    /** Keys whose name starts with {@code prefix}; every key for an empty one. */
    private static Condition nameStartsWith(String prefix) {
        return prefix.isEmpty() ? DSL.noCondition() : API_KEY.NAME.startsWith(prefix);
    }

    /** What UpdateUsagePlan may change: everything but the id, the time zone and the creation time. */
    private static Map<Field<?>, Object> changeableColumns(UsagePlan plan) {
        Map<Field<?>, Object> columns = new HashMap<>();
        columns.put(USAGE_PLAN.NAME, plan.name());
        columns.put(USAGE_PLAN.DESCRIPTION, plan.description());
        columns.put(USAGE_PLAN.QUOTA_LIMIT, plan.quota().map(QuotaSettings::limit).orElse(null));
        columns.put(USAGE_PLAN.QUOTA_OFFSET, plan.quota().map(QuotaSettings::offset).orElse(null));
        columns.put(USAGE_PLAN.QUOTA_PERIOD, plan.quota().map(q -> q.period().name()).orElse(null));
        columns.put(USAGE_PLAN.THROTTLE_BURST, plan.throttle().map(ThrottleSettings::burstLimit).orElse(null));
        columns.put(USAGE_PLAN.THROTTLE_RATE, plan.throttle().map(ThrottleSettings::rateLimit).orElse(null));
        return columns;
    }

    @Override
    public long metadataVersion() {
        return database.read().select(METADATA_VERSION.VERSION).from(METADATA_VERSION).fetchSingle(METADATA_VERSION.VERSION);
    }

    @Override
    public boolean deletePlan(UsagePlanId id) {
        // Associations, counters and kept decisions go with it (ON DELETE CASCADE); so do GetUsage's kept rows.
        return database.localReads().changingAll(() -> database.write(tx -> moved(tx, tx.deleteFrom(USAGE_PLAN)
                .where(USAGE_PLAN.PLAN_ID.eq(id.value())).execute()) == 1));
    }

    @Override
    public void insertKey(ApiKey key, String valueSha256, byte[] sealedValue) {
        try {
            database.write(tx -> tx.insertInto(API_KEY)
                    .set(API_KEY.KEY_ID, key.id().value())
                    .set(API_KEY.NAME, key.name())
                    .set(API_KEY.DESCRIPTION, key.description())
                    .set(API_KEY.VALUE_SHA256, valueSha256)
                    .set(API_KEY.VALUE_SEALED, Base64.getEncoder().encodeToString(sealedValue))
                    .set(API_KEY.ENABLED, key.enabled())
                    .set(API_KEY.CREATED_AT, Timestamps.millis(key.createdAt()))
                    .execute());
        } catch (IntegrityConstraintViolationException duplicate) {
            throw new ConflictException("value", "another API key already has this value");
        }
    }

    @Override
    public Optional<ApiKey> key(ApiKeyId id) {
        return keyById.first(database, JooqUsagePlanStore::readKey, id.value());
    }

    @Override
    public Optional<ApiKey> keyByValue(String valueSha256) {
        return keyByDigest.first(database, JooqUsagePlanStore::readKey, valueSha256);
    }

    @Override
    public Map<ApiKeyId, byte[]> sealedValues(Collection<ApiKeyId> keys) {
        Map<ApiKeyId, byte[]> values = new HashMap<>();
        database.read().select(API_KEY.KEY_ID, API_KEY.VALUE_SEALED).from(API_KEY)
                .where(API_KEY.KEY_ID.in(keys.stream().map(ApiKeyId::value).toList()), API_KEY.VALUE_SEALED.isNotNull())
                .forEach(r -> values.put(new ApiKeyId(r.value1()), Base64.getDecoder().decode(r.value2())));
        return values;
    }

    @Override
    public boolean deleteKey(ApiKeyId key) {
        return database.localReads().changingAll(() -> database.write(tx -> {
            // Counters are keyed (plan, key, day): naming the key's plans lets each delete seek the primary key
            // instead of scanning every plan's counters. Delete them before the associations that name the plans.
            var plansOfKey = DSL.select(USAGE_PLAN_KEY.PLAN_ID).from(USAGE_PLAN_KEY).where(USAGE_PLAN_KEY.KEY_ID.eq(key.value()));
            tx.deleteFrom(USAGE_DAY).where(USAGE_DAY.PLAN_ID.in(plansOfKey), USAGE_DAY.KEY_ID.eq(key.value())).execute();
            tx.deleteFrom(USAGE_PERIOD).where(USAGE_PERIOD.PLAN_ID.in(plansOfKey), USAGE_PERIOD.KEY_ID.eq(key.value())).execute();
            tx.deleteFrom(USAGE_PLAN_KEY).where(USAGE_PLAN_KEY.KEY_ID.eq(key.value())).execute();
            return moved(tx, tx.deleteFrom(API_KEY).where(API_KEY.KEY_ID.eq(key.value())).execute()) == 1;
        }));
    }

    @Override
    public List<ApiKey> keys(PageRequest request, String namePrefix) {
        return database.read().selectFrom(API_KEY)
                .where(request.after().map(API_KEY.KEY_ID::gt).orElse(DSL.noCondition()))
                .and(nameStartsWith(namePrefix))
                .orderBy(API_KEY.KEY_ID)
                .limit(request.size() + 1)
                .fetch(JooqUsagePlanStore::toKey);
    }

    @Override
    public Optional<ApiKey> updateKey(ApiKeyId id, Optional<Boolean> enabled, Optional<String> name, Optional<String> description) {
        return database.write(tx -> {
            Map<Field<?>, Object> changes = new HashMap<>();
            enabled.ifPresent(value -> changes.put(API_KEY.ENABLED, value));
            name.ifPresent(value -> changes.put(API_KEY.NAME, value));
            description.ifPresent(value -> changes.put(API_KEY.DESCRIPTION, value));
            if (!changes.isEmpty()) {
                moved(tx, tx.update(API_KEY).set(changes).where(API_KEY.KEY_ID.eq(id.value())).execute());
            }
            return tx.selectFrom(API_KEY).where(API_KEY.KEY_ID.eq(id.value())).fetchOptional(JooqUsagePlanStore::toKey);
        });
    }

    @Override
    public boolean associate(UsagePlanId plan, ApiKeyId key, Instant now) {
        return database.write(tx -> tx.insertInto(USAGE_PLAN_KEY)
                .set(USAGE_PLAN_KEY.PLAN_ID, plan.value())
                .set(USAGE_PLAN_KEY.KEY_ID, key.value())
                .set(USAGE_PLAN_KEY.CREATED_AT, Timestamps.millis(now))
                .onConflictDoNothing()
                .execute()) == 1;
    }

    @Override
    public boolean dissociate(UsagePlanId plan, ApiKeyId key) {
        return database.write(tx -> moved(tx, tx.deleteFrom(USAGE_PLAN_KEY)
                .where(USAGE_PLAN_KEY.PLAN_ID.eq(plan.value()), USAGE_PLAN_KEY.KEY_ID.eq(key.value()))
                .execute()) == 1);
    }

    /** Moves the metadata version when {@code changedRows} is not 0, in the change's transaction; returns it. */
    private static int moved(DSLContext tx, int changedRows) {
        if (changedRows > 0) {
            tx.update(METADATA_VERSION).set(METADATA_VERSION.VERSION, METADATA_VERSION.VERSION.plus(1)).execute();
        }
        return changedRows;
    }

    @Override
    public boolean associated(UsagePlanId plan, ApiKeyId key) {
        return association.first(database, row -> true, plan.value(), key.value()).isPresent();
    }

    @Override
    public List<ApiKey> planKeys(UsagePlanId plan, PageRequest request, String namePrefix) {
        return database.read().select(API_KEY.fields()).from(USAGE_PLAN_KEY)
                .join(API_KEY).on(API_KEY.KEY_ID.eq(USAGE_PLAN_KEY.KEY_ID))
                .where(USAGE_PLAN_KEY.PLAN_ID.eq(plan.value()))
                .and(request.after().map(USAGE_PLAN_KEY.KEY_ID::gt).orElse(DSL.noCondition()))
                .and(nameStartsWith(namePrefix))
                .orderBy(USAGE_PLAN_KEY.KEY_ID)
                .limit(request.size() + 1)
                .fetch(r -> toKey(r.into(API_KEY)));
    }

    private static UsagePlan toPlan(UsagePlanRecord r) {
        Optional<QuotaSettings> quota = r.getQuotaPeriod() == null ? Optional.empty()
                : Optional.of(new QuotaSettings(r.getQuotaLimit(), r.getQuotaOffset(), QuotaPeriod.valueOf(r.getQuotaPeriod())));
        Optional<ThrottleSettings> throttle = r.getThrottleBurst() == null ? Optional.empty()
                : Optional.of(new ThrottleSettings(r.getThrottleBurst(), r.getThrottleRate()));
        return new UsagePlan(new UsagePlanId(r.getPlanId()), r.getName(), r.getDescription(), quota, throttle,
                ZoneId.of(r.getTimeZone()), Timestamps.instant(r.getCreatedAt()));
    }

    private static ApiKey readKey(ResultSet row) throws SQLException {
        return new ApiKey(new ApiKeyId(row.getString(1)), row.getString(2), row.getString(3), row.getBoolean(4),
                Timestamps.instant(row.getLong(5)));
    }

    private static ApiKey toKey(ApiKeyRecord r) {
        return new ApiKey(new ApiKeyId(r.getKeyId()), r.getName(), r.getDescription(), r.getEnabled(), Timestamps.instant(r.getCreatedAt()));
    }

    @Override
    public Map<UsagePlanId, Long> keyCounts(Collection<UsagePlanId> plans) {
        if (plans.isEmpty()) {
            return Map.of();
        }
        Map<UsagePlanId, Long> counts = new HashMap<>();
        database.read().select(USAGE_PLAN_KEY.PLAN_ID, DSL.count()).from(USAGE_PLAN_KEY)
                .where(USAGE_PLAN_KEY.PLAN_ID.in(plans.stream().map(UsagePlanId::value).toList()))
                .groupBy(USAGE_PLAN_KEY.PLAN_ID)
                .forEach(row -> counts.put(new UsagePlanId(row.value1()), row.value2().longValue()));
        return counts;
    }
}
