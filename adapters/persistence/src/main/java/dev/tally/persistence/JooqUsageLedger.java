package dev.tally.persistence;

import static dev.tally.persistence.jooq.Tables.USAGE_DAY;
import static dev.tally.persistence.jooq.Tables.USAGE_IDEMPOTENCY;
import static dev.tally.persistence.jooq.Tables.USAGE_PERIOD;
import static dev.tally.persistence.jooq.Tables.USAGE_PLAN_KEY;

import dev.tally.domain.common.ApiKeyId;
import dev.tally.domain.common.ErrorReason;
import dev.tally.domain.common.NotFoundException;
import dev.tally.domain.common.UsagePlanId;
import dev.tally.domain.quota.Decision;
import dev.tally.domain.quota.IdempotencyScope;
import dev.tally.domain.quota.PeriodCounter;
import dev.tally.domain.quota.QuotaAttempt;
import dev.tally.domain.quota.QuotaDecision;
import dev.tally.domain.quota.StoredDecision;
import dev.tally.domain.quota.UsageDay;
import dev.tally.domain.quota.port.out.UsageLedger;
import dev.tally.persistence.jooq.tables.records.UsageIdempotencyRecord;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collections;
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
import org.jooq.exception.IntegrityConstraintViolationException;
import org.jooq.impl.DSL;

/** Usage counters in {@code usage_day} and {@code usage_period}, and kept decisions in {@code usage_idempotency}. */
public final class JooqUsageLedger implements UsageLedger {

    private static final String RECORDED = "RECORDED";

    private final Database database;
    private final Clock clock;
    // ConsumeQuota's statements and GetUsage's reads, rendered once (see HotQuery).
    private final HotQuery consumeWithin;
    private final HotQuery consumeUnlimited;
    private final HotQuery addToDay;
    private final HotQuery insertPeriod;
    private final HotQuery periodCounter;
    private final HotQuery days;
    private final HotQuery daysOfKey;

    public JooqUsageLedger(Database database, Clock clock) {
        this.database = Objects.requireNonNull(database, "database");
        this.clock = Objects.requireNonNull(clock, "clock");
        Condition period = USAGE_PERIOD.PLAN_ID.eq(DSL.param("plan", USAGE_PERIOD.PLAN_ID))
                .and(USAGE_PERIOD.KEY_ID.eq(DSL.param("key", USAGE_PERIOD.KEY_ID)))
                .and(USAGE_PERIOD.PERIOD_START.eq(DSL.param("period", USAGE_PERIOD.PERIOD_START)));
        Field<Long> cost = DSL.param("cost", USAGE_PERIOD.USED);
        // The quota check and the increment are one statement: concurrent calls can never both pass it.
        this.consumeWithin = database.hotQuery(DSL.update(USAGE_PERIOD).set(USAGE_PERIOD.USED, USAGE_PERIOD.USED.plus(cost))
                .where(period).and(USAGE_PERIOD.USED.plus(cost).le(USAGE_PERIOD.ADJUSTMENT.plus(DSL.param("allowance", USAGE_PERIOD.USED))))
                .returning(USAGE_PERIOD.USED, USAGE_PERIOD.ADJUSTMENT), "plan", "key", "period", "cost", "allowance");
        this.consumeUnlimited = database.hotQuery(DSL.update(USAGE_PERIOD).set(USAGE_PERIOD.USED, USAGE_PERIOD.USED.plus(cost))
                .where(period)
                .returning(USAGE_PERIOD.USED, USAGE_PERIOD.ADJUSTMENT), "plan", "key", "period", "cost");
        // Every key's first call of a period creates its row, and every call refused for quota reads it.
        this.insertPeriod = database.hotQuery(DSL.insertInto(USAGE_PERIOD)
                .set(USAGE_PERIOD.PLAN_ID, DSL.param("plan", USAGE_PERIOD.PLAN_ID))
                .set(USAGE_PERIOD.KEY_ID, DSL.param("key", USAGE_PERIOD.KEY_ID))
                .set(USAGE_PERIOD.PERIOD_START, DSL.param("period", USAGE_PERIOD.PERIOD_START))
                .set(USAGE_PERIOD.USED, DSL.inline(0L))
                .set(USAGE_PERIOD.ADJUSTMENT, DSL.inline(0L))
                .onConflictDoNothing(), "plan", "key", "period");
        this.periodCounter = database.hotQuery(DSL.select(USAGE_PERIOD.USED, USAGE_PERIOD.ADJUSTMENT).from(USAGE_PERIOD).where(period),
                "plan", "key", "period");
        Field<Long> count = DSL.param("count", USAGE_DAY.USED);
        this.addToDay = database.hotQuery(DSL.insertInto(USAGE_DAY)
                .set(USAGE_DAY.PLAN_ID, DSL.param("plan", USAGE_DAY.PLAN_ID))
                .set(USAGE_DAY.KEY_ID, DSL.param("key", USAGE_DAY.KEY_ID))
                .set(USAGE_DAY.DAY, DSL.param("day", USAGE_DAY.DAY))
                .set(USAGE_DAY.USED, count)
                .onConflict(USAGE_DAY.PLAN_ID, USAGE_DAY.KEY_ID, USAGE_DAY.DAY)
                .doUpdate().set(USAGE_DAY.USED, USAGE_DAY.USED.plus(count)), "plan", "key", "day", "count");
        this.days = database.hotQuery(DSL.select(USAGE_DAY.KEY_ID, USAGE_DAY.DAY, USAGE_DAY.USED, USAGE_DAY.ADJUSTMENT).from(USAGE_DAY)
                .where(USAGE_DAY.PLAN_ID.eq(DSL.param("plan", USAGE_DAY.PLAN_ID)))
                .and(USAGE_DAY.KEY_ID.between(DSL.param("first", USAGE_DAY.KEY_ID), DSL.param("last", USAGE_DAY.KEY_ID)))
                .and(USAGE_DAY.DAY.between(DSL.param("from", USAGE_DAY.DAY), DSL.param("to", USAGE_DAY.DAY))),
                "plan", "first", "last", "from", "to");
        // One key (the common call) seeks straight to its first day; a key range cannot use the day for that.
        this.daysOfKey = database.hotQuery(DSL.select(USAGE_DAY.DAY, USAGE_DAY.USED, USAGE_DAY.ADJUSTMENT).from(USAGE_DAY)
                .where(USAGE_DAY.PLAN_ID.eq(DSL.param("plan", USAGE_DAY.PLAN_ID)))
                .and(USAGE_DAY.KEY_ID.eq(DSL.param("key", USAGE_DAY.KEY_ID)))
                .and(USAGE_DAY.DAY.between(DSL.param("from", USAGE_DAY.DAY), DSL.param("to", USAGE_DAY.DAY))),
                "plan", "key", "from", "to");
    }

    @Override
    public Optional<StoredDecision> decision(IdempotencyScope scope) {
        return kept(database.read(), scope);
    }

    @Override
    public StoredDecision remember(IdempotencyScope scope, QuotaDecision decision) {
        return database.write(tx -> {
            if (claim(tx, scope, decision.decision().name())) {
                storeDecision(tx, scope, decision);
            }
            return kept(tx, scope).orElseThrow();
        });
    }

    @Override
    public StoredDecision consume(QuotaAttempt attempt, BiFunction<Boolean, PeriodCounter, QuotaDecision> decide) {
        if (attempt.idempotency().isEmpty()) {
            // PostgreSQL batches these; a call with an idempotency key stores its decision in its own transaction.
            Optional<PostgresConsumeBatches.Outcome> batched = database.consumeBatches().flatMap(batches -> batches.consume(attempt));
            if (batched.isPresent()) {
                return new StoredDecision("", decide.apply(batched.get().consumed(), batched.get().counter()));
            }
        }
        return database.localReads().changing(usageOwner(attempt.plan().value(), attempt.key().value()), () -> database.write(tx -> {
            if (attempt.idempotency().isPresent() && !claim(tx, attempt.idempotency().get(), null)) {
                // A concurrent call with the same key got there first: its (committed) decision is the answer.
                return kept(tx, attempt.idempotency().get()).orElseThrow();
            }
            // The period's row exists after its first call, so one statement is usually all it takes.
            Optional<PeriodCounter> after = consumeIfRoom(tx, attempt);
            PeriodCounter refusedAt = null;
            while (after.isEmpty()) {
                // No room, or no row yet. A concurrent first call of the period may have created the row since
                // (on PostgreSQL each statement sees what committed before it): try again unless it is full.
                Optional<PeriodCounter> counter = counter(tx, attempt.plan(), attempt.key(), attempt.periodStart());
                if (counter.isPresent() && !attempt.fits(counter.get())) {
                    refusedAt = counter.get();
                    break;
                }
                if (counter.isEmpty()) {
                    ensurePeriod(tx, attempt.plan(), attempt.key(), attempt.periodStart());
                }
                after = consumeIfRoom(tx, attempt);
            }
            boolean consumed = after.isPresent();
            if (consumed) {
                addToDay.execute(tx, attempt.plan().value(), attempt.key().value(), epochDay(attempt.day()), attempt.cost());
            }
            QuotaDecision decision = decide.apply(consumed, consumed ? after.get() : refusedAt);
            attempt.idempotency().ifPresent(scope -> storeDecision(tx, scope, decision));
            return new StoredDecision(attempt.idempotency().map(IdempotencyScope::requestHash).orElse(""), decision);
        }));
    }

    @Override
    public PeriodCounter period(UsagePlanId plan, ApiKeyId key, LocalDate periodStart) {
        return periodCounter(database.read(), plan, key, periodStart);
    }

    @Override
    public Optional<String> record(UsagePlanId plan, ApiKeyId key, LocalDate day, LocalDate periodStart, long count,
                                   Optional<IdempotencyScope> idempotency) {
        return database.localReads().changing(usageOwner(plan.value(), key.value()), () -> database.write(tx -> {
            if (idempotency.isPresent() && !claim(tx, idempotency.get(), RECORDED)) {
                return Optional.of(kept(tx, idempotency.get()).orElseThrow().requestHash());
            }
            // The period's row before the day's, as every write locks them, so none can deadlock on PostgreSQL.
            addToPeriod(tx, plan, key, periodStart, count);
            addToDay.execute(tx, plan.value(), key.value(), epochDay(day), count);
            return Optional.<String>empty();
        }));
    }

    @Override
    public PeriodCounter setRemaining(UsagePlanId plan, ApiKeyId key, LocalDate day, LocalDate periodStart, long allowance,
                                      long remaining) {
        return database.localReads().changing(usageOwner(plan.value(), key.value()), () -> database.write(tx -> {
            ensurePeriod(tx, plan, key, periodStart);
            // remaining = allowance - used + adjustment, against the count at this very statement.
            tx.update(USAGE_PERIOD).set(USAGE_PERIOD.ADJUSTMENT, USAGE_PERIOD.USED.plus(remaining - allowance))
                    .where(periodIs(plan, key, periodStart)).execute();
            PeriodCounter counter = periodCounter(tx, plan, key, periodStart);
            tx.insertInto(USAGE_DAY)
                    .set(USAGE_DAY.PLAN_ID, plan.value())
                    .set(USAGE_DAY.KEY_ID, key.value())
                    .set(USAGE_DAY.DAY, epochDay(day))
                    .set(USAGE_DAY.USED, 0L)
                    .set(USAGE_DAY.ADJUSTMENT, counter.adjustment())
                    .onConflict(USAGE_DAY.PLAN_ID, USAGE_DAY.KEY_ID, USAGE_DAY.DAY)
                    .doUpdate().set(USAGE_DAY.ADJUSTMENT, counter.adjustment())
                    .execute();
            return counter;
        }));
    }

    @Override
    public long usedOn(UsagePlanId plan, ApiKeyId key, LocalDate day) {
        return database.read().select(USAGE_DAY.USED).from(USAGE_DAY)
                .where(USAGE_DAY.PLAN_ID.eq(plan.value()), USAGE_DAY.KEY_ID.eq(key.value()), USAGE_DAY.DAY.eq(epochDay(day)))
                .fetchOptional(USAGE_DAY.USED).orElse(0L);
    }

    @Override
    public List<UsageDay> days(UsagePlanId plan, List<ApiKeyId> keys, LocalDate from, LocalDate to) {
        if (keys.isEmpty()) {
            return List.of();
        }
        if (keys.size() == 1) {
            ApiKeyId key = keys.get(0);
            return database.localReads().read(usageOwner(plan.value(), key.value()),
                    new DaysOfKey(plan.value(), key.value(), epochDay(from), epochDay(to)), () -> List.copyOf(daysOfKey.list(database,
                            row -> usageDay(key, row, 1), plan.value(), key.value(), epochDay(from), epochDay(to))));
        }
        // A page's keys are consecutive in key order, so one primary-key range scan from the first to the last
        // finds them all (an IN list of hundreds of keys plans badly as a prepared statement on PostgreSQL).
        // Rows of keys in that range that are no longer on the plan are left out here.
        Map<String, ApiKeyId> wanted = new HashMap<>();
        keys.forEach(key -> wanted.put(key.value(), key));
        String first = Collections.min(wanted.keySet());
        String last = Collections.max(wanted.keySet());
        List<UsageDay> rows = days.list(database.read(), row -> {
            ApiKeyId key = wanted.get(row.getString(1));
            return key == null ? null : usageDay(key, row, 2); // null: a key inside the range that is not on this page
        }, plan.value(), first, last, epochDay(from), epochDay(to));
        rows.removeIf(Objects::isNull);
        return rows;
    }

    /** The day, used and adjustment columns of {@code row}, from column {@code first} on. */
    private static UsageDay usageDay(ApiKeyId key, ResultSet row, int first) throws SQLException {
        LocalDate day = LocalDate.ofEpochDay(row.getInt(first));
        long used = row.getLong(first + 1);
        long adjustment = row.getLong(first + 2);
        return new UsageDay(key, day, used, row.wasNull() ? OptionalLong.empty() : OptionalLong.of(adjustment));
    }

    @Override
    public int forgetIdempotencyKeys(Instant before) {
        return database.write(tx -> tx.deleteFrom(USAGE_IDEMPOTENCY).where(USAGE_IDEMPOTENCY.CREATED_AT.lt(Timestamps.millis(before))).execute());
    }

    /** Inserts the scope's row unless it exists; on PostgreSQL this waits for a concurrent claimer to finish. */
    private boolean claim(DSLContext tx, IdempotencyScope scope, String decision) {
        return tx.insertInto(USAGE_IDEMPOTENCY)
                .set(USAGE_IDEMPOTENCY.RPC, scope.rpc())
                .set(USAGE_IDEMPOTENCY.PLAN_ID, scope.plan().value())
                .set(USAGE_IDEMPOTENCY.TARGET, scope.target())
                .set(USAGE_IDEMPOTENCY.IDEMPOTENCY_KEY, scope.idempotencyKey())
                .set(USAGE_IDEMPOTENCY.REQUEST_SHA256, scope.requestHash())
                .set(USAGE_IDEMPOTENCY.DECISION, decision)
                .set(USAGE_IDEMPOTENCY.CREATED_AT, Timestamps.millis(clock.instant()))
                .onConflictDoNothing()
                .execute() == 1;
    }

    private static void storeDecision(DSLContext tx, IdempotencyScope scope, QuotaDecision decision) {
        tx.update(USAGE_IDEMPOTENCY)
                .set(USAGE_IDEMPOTENCY.DECISION, decision.decision().name())
                .set(USAGE_IDEMPOTENCY.USED, decision.used())
                .set(USAGE_IDEMPOTENCY.REMAINING, decision.remaining().isPresent() ? decision.remaining().getAsLong() : null)
                .set(USAGE_IDEMPOTENCY.PERIOD_END, Timestamps.millis(decision.periodEnd()))
                .set(USAGE_IDEMPOTENCY.RETRY_AFTER_MS, decision.retryAfter().toMillis())
                .where(scopeIs(scope))
                .execute();
    }

    private static Optional<StoredDecision> kept(DSLContext context, IdempotencyScope scope) {
        return context.selectFrom(USAGE_IDEMPOTENCY).where(scopeIs(scope)).fetchOptional(JooqUsageLedger::toStored);
    }

    private static StoredDecision toStored(UsageIdempotencyRecord r) {
        if (r.getDecision() == null || RECORDED.equals(r.getDecision())) {
            return new StoredDecision(r.getRequestSha256(), null);
        }
        return new StoredDecision(r.getRequestSha256(), new QuotaDecision(Decision.valueOf(r.getDecision()), r.getUsed(),
                r.getRemaining() == null ? OptionalLong.empty() : OptionalLong.of(r.getRemaining()),
                Timestamps.instant(r.getPeriodEnd()), Duration.ofMillis(r.getRetryAfterMs())));
    }

    /** Consumes the attempt's cost if the period's row has room; returns the counter after, or empty. */
    private Optional<PeriodCounter> consumeIfRoom(DSLContext tx, QuotaAttempt attempt) {
        String plan = attempt.plan().value();
        String key = attempt.key().value();
        int period = epochDay(attempt.periodStart());
        return attempt.allowance().isPresent()
                ? consumeWithin.first(tx, JooqUsageLedger::readCounter, plan, key, period, attempt.cost(), attempt.allowance().getAsLong())
                : consumeUnlimited.first(tx, JooqUsageLedger::readCounter, plan, key, period, attempt.cost());
    }

    private PeriodCounter periodCounter(DSLContext context, UsagePlanId plan, ApiKeyId key, LocalDate periodStart) {
        return counter(context, plan, key, periodStart).orElse(PeriodCounter.EMPTY);
    }

    /** The period's counter; empty while its row does not exist. */
    private Optional<PeriodCounter> counter(DSLContext context, UsagePlanId plan, ApiKeyId key, LocalDate periodStart) {
        return periodCounter.first(context, JooqUsageLedger::readCounter, plan.value(), key.value(), epochDay(periodStart));
    }

    private static PeriodCounter readCounter(ResultSet row) throws SQLException {
        return new PeriodCounter(row.getLong(1), row.getLong(2));
    }

    /** Creates the period's row if it is missing. */
    private void ensurePeriod(DSLContext tx, UsagePlanId plan, ApiKeyId key, LocalDate periodStart) {
        try {
            insertPeriod.execute(tx, plan.value(), key.value(), epochDay(periodStart));
        } catch (IntegrityConstraintViolationException deleted) {
            // Another server deleted the plan moments ago; this server's cached copy has not expired yet.
            throw new NotFoundException(ErrorReason.NOT_FOUND, "usage_plan_id", "usage plan '" + plan + "' was deleted");
        }
    }

    /** Adds to a period's count without any check (RecordUsage is not enforced). */
    private static void addToPeriod(DSLContext tx, UsagePlanId plan, ApiKeyId key, LocalDate periodStart, long count) {
        tx.insertInto(USAGE_PERIOD)
                .set(USAGE_PERIOD.PLAN_ID, plan.value())
                .set(USAGE_PERIOD.KEY_ID, key.value())
                .set(USAGE_PERIOD.PERIOD_START, epochDay(periodStart))
                .set(USAGE_PERIOD.USED, count)
                .set(USAGE_PERIOD.ADJUSTMENT, 0L)
                .onConflict(USAGE_PERIOD.PLAN_ID, USAGE_PERIOD.KEY_ID, USAGE_PERIOD.PERIOD_START)
                .doUpdate().set(USAGE_PERIOD.USED, USAGE_PERIOD.USED.plus(count))
                .execute();
    }

    private static Condition periodIs(UsagePlanId plan, ApiKeyId key, LocalDate periodStart) {
        return USAGE_PERIOD.PLAN_ID.eq(plan.value()).and(USAGE_PERIOD.KEY_ID.eq(key.value()))
                .and(USAGE_PERIOD.PERIOD_START.eq(epochDay(periodStart)));
    }

    private static Condition scopeIs(IdempotencyScope scope) {
        return USAGE_IDEMPOTENCY.RPC.eq(scope.rpc()).and(USAGE_IDEMPOTENCY.PLAN_ID.eq(scope.plan().value()))
                .and(USAGE_IDEMPOTENCY.TARGET.eq(scope.target())).and(USAGE_IDEMPOTENCY.IDEMPOTENCY_KEY.eq(scope.idempotencyKey()));
    }

    private static int epochDay(LocalDate day) {
        return Math.toIntExact(day.toEpochDay());
    }

    @Override
    public List<ApiKeyId> leastLeft(UsagePlanId plan, LocalDate periodStart, int limit) {
        // Only keys still on the plan: counters of a key taken off it stay until the period ends.
        return database.read().select(USAGE_PERIOD.KEY_ID).from(USAGE_PERIOD)
                .where(USAGE_PERIOD.PLAN_ID.eq(plan.value()), USAGE_PERIOD.PERIOD_START.eq(epochDay(periodStart)))
                .andExists(DSL.selectOne().from(USAGE_PLAN_KEY)
                        .where(USAGE_PLAN_KEY.PLAN_ID.eq(USAGE_PERIOD.PLAN_ID), USAGE_PLAN_KEY.KEY_ID.eq(USAGE_PERIOD.KEY_ID)))
                .orderBy(USAGE_PERIOD.USED.minus(USAGE_PERIOD.ADJUSTMENT).desc(), USAGE_PERIOD.KEY_ID)
                .limit(limit)
                .fetch(r -> new ApiKeyId(r.value1()));
    }

    /** One key's usage rows over a range of days, as kept by {@link LocalReads}. */
    private record DaysOfKey(String plan, String key, int from, int to) {
    }

    /** What a write to one key's counters on a plan changes, for {@link LocalReads}. */
    private static String usageOwner(String plan, String key) {
        return "usage/" + plan + "/" + key;
    }
}
