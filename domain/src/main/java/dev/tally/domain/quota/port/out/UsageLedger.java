package dev.tally.domain.quota.port.out;

import dev.tally.domain.common.ApiKeyId;
import dev.tally.domain.common.UsagePlanId;
import dev.tally.domain.quota.IdempotencyScope;
import dev.tally.domain.quota.PeriodCounter;
import dev.tally.domain.quota.QuotaAttempt;
import dev.tally.domain.quota.QuotaDecision;
import dev.tally.domain.quota.StoredDecision;
import dev.tally.domain.quota.UsageDay;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The usage counters: one row per (plan, key, day) and one per (plan, key, period), always moved together,
 * and the decisions kept for idempotency keys.
 */
public interface UsageLedger {

    /** The decision kept for this scope's idempotency key, if any. */
    Optional<StoredDecision> decision(IdempotencyScope scope);

    /**
     * Keeps {@code decision} for the scope's key unless one is kept already (a concurrent call with the same
     * key won); returns what is kept.
     */
    StoredDecision remember(IdempotencyScope scope, QuotaDecision decision);

    /**
     * In one transaction: claims the attempt's idempotency key (if any; a key already claimed returns its
     * kept decision and changes nothing), then consumes the cost only if the period has room, as one
     * conditional statement, counts it on the day, and keeps the decision that {@code decide} makes from
     * (whether it was consumed, the period's counter afterwards).
     */
    StoredDecision consume(QuotaAttempt attempt, BiFunction<Boolean, PeriodCounter, QuotaDecision> decide);

    /** The period's counter (empty when nothing was counted). */
    PeriodCounter period(UsagePlanId plan, ApiKeyId key, LocalDate periodStart);

    /**
     * Adds {@code count} to the day and its period without any check. With an idempotency scope whose key was
     * used already, changes nothing and returns the kept request digest.
     */
    Optional<String> record(UsagePlanId plan, ApiKeyId key, LocalDate day, LocalDate periodStart, long count,
                            Optional<IdempotencyScope> idempotency);

    /**
     * Sets the period's adjustment so that what remains is {@code remaining} (allowance - used + adjustment),
     * in one statement against the current count, and notes it on {@code day}. Returns the period's counter.
     */
    PeriodCounter setRemaining(UsagePlanId plan, ApiKeyId key, LocalDate day, LocalDate periodStart, long allowance, long remaining);

    /** The day's count for one key. */
    long usedOn(UsagePlanId plan, ApiKeyId key, LocalDate day);

    /** Counter rows of these keys from {@code from} through {@code to}: one range scan. */
    List<UsageDay> days(UsagePlanId plan, List<ApiKeyId> keys, LocalDate from, LocalDate to);

    /**
     * Up to {@code limit} of the plan's keys with the least left in the period starting {@code periodStart}:
     * the most used less their adjustment, in one read (keys that used nothing are not among them).
     */
    List<ApiKeyId> leastLeft(UsagePlanId plan, LocalDate periodStart, int limit);

    /** Forgets idempotency keys older than {@code before}; returns how many. */
    int forgetIdempotencyKeys(Instant before);
}
