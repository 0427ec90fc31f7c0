package dev.tally.domain.quota;

import static java.util.Objects.requireNonNull;

import dev.tally.domain.common.ApiKeyId;
import dev.tally.domain.common.Digests;
import dev.tally.domain.common.ApiKeyValue;
import dev.tally.domain.common.Caller;
import dev.tally.domain.common.ConflictException;
import dev.tally.domain.common.ErrorReason;
import dev.tally.domain.common.ExpiringCache;
import dev.tally.domain.common.Ids;
import dev.tally.domain.common.InvalidParameterException;
import dev.tally.domain.common.NotFoundException;
import dev.tally.domain.common.Page;
import dev.tally.domain.common.PageRequest;
import dev.tally.domain.common.PageSpec;
import dev.tally.domain.common.PageTokens;
import dev.tally.domain.common.PolledVersion;
import dev.tally.domain.common.SecretBox;
import dev.tally.domain.common.TallyException;
import dev.tally.domain.common.Telemetry;
import dev.tally.domain.common.UsagePlanId;
import dev.tally.domain.quota.port.in.GetUsageQuery;
import dev.tally.domain.quota.port.in.ManageUsagePlans;
import dev.tally.domain.quota.port.in.MeterUsage;
import dev.tally.domain.quota.port.out.UsageLedger;
import dev.tally.domain.quota.port.out.UsagePlanStore;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** API Gateway-style usage plans: plans and keys, metering, and the GetUsage report. */
public final class QuotaService implements ManageUsagePlans, MeterUsage, GetUsageQuery {

    /**
     * How often the store's metadata version is read: a plan, key or association another server changed or
     * removed is seen as it was for about this long.
     */
    static final Duration METADATA_POLL = Duration.ofMillis(250);
    /** How long a plan, key or association is kept while the metadata version stays put. */
    static final Duration METADATA_TTL = Duration.ofMinutes(10);
    /** How long an absence is kept: another server's new plan, key or association moves no version. */
    static final Duration ABSENCE_TTL = Duration.ofSeconds(5);
    static final int MAX_RANGE_DAYS = 90;
    static final long MAX_COST = 1_000_000_000L;
    static final Duration RECORD_PAST = Duration.ofDays(90);
    static final Duration RECORD_FUTURE = Duration.ofMinutes(5);
    private static final PageSpec PAGE = new PageSpec("page_size", "page_token", 25, 500, ErrorReason.BAD_REQUEST);
    private static final PageSpec USAGE_PAGE = new PageSpec("limit", "position", 25, 500, ErrorReason.BAD_REQUEST);
    private static final Pattern NAME = Pattern.compile("^\\P{Cc}{1,255}$");
    private static final Pattern OPTIONAL_NAME = Pattern.compile("^\\P{Cc}{0,255}$");
    private static final Pattern DESCRIPTION = Pattern.compile("^[^\\x00]{0,1024}$");
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("^[\\x21-\\x7e]{1,128}$");
    private static final Pattern DATE = Pattern.compile("^[0-9]{4}-[0-9]{2}-[0-9]{2}$");
    /** Each decision's name as Telemetry reports it, made once rather than on every ConsumeQuota. */
    private static final Map<Decision, String> OUTCOMES = new EnumMap<>(Map.of(Decision.ALLOWED, "allowed",
            Decision.QUOTA_EXCEEDED, "quota_exceeded", Decision.THROTTLED, "throttled", Decision.KEY_REJECTED, "key_rejected"));

    private final UsagePlanStore plans;
    private final UsageLedger ledger;
    private final SecretBox secrets;
    private final PageTokens pageTokens;
    private final Clock clock;
    private final ThrottleBuckets throttles;
    /** Metadata on the hot path; see {@link ExpiringCache} for how changes propagate. */
    private final ExpiringCache<UsagePlanId, UsagePlan> planCache;
    private final ExpiringCache<ApiKeyId, ApiKey> keyCache;
    private final ExpiringCache<String, ApiKey> keyByValueCache;
    private final ExpiringCache<String, Boolean> associationCache;
    /**
     * GetUsage's pages of a plan's key ids, by plan, first key after and size: a plan's key list changes far
     * less often than it is read, and listing it was most of what GetUsage without a key cost over the keyed
     * form. Ids only, and fewer pages than other metadata, since a page may hold 500 of them.
     */
    private final ExpiringCache<String, List<ApiKeyId>> planKeyPages;

    private final Telemetry telemetry;

    public QuotaService(UsagePlanStore plans, UsageLedger ledger, SecretBox secrets, PageTokens pageTokens, Clock clock) {
        this(plans, ledger, secrets, pageTokens, clock, Telemetry.NONE);
    }

    public QuotaService(UsagePlanStore plans, UsageLedger ledger, SecretBox secrets, PageTokens pageTokens, Clock clock,
                        Telemetry telemetry) {
        this.telemetry = requireNonNull(telemetry, "telemetry");
        this.plans = requireNonNull(plans, "plans");
        this.ledger = requireNonNull(ledger, "ledger");
        this.secrets = requireNonNull(secrets, "secrets");
        this.pageTokens = requireNonNull(pageTokens, "pageTokens");
        this.clock = requireNonNull(clock, "clock");
        this.throttles = new ThrottleBuckets(clock);
        PolledVersion metadataVersion = new PolledVersion(plans::metadataVersion, clock, METADATA_POLL);
        this.planCache = new ExpiringCache<>(clock, METADATA_TTL, ABSENCE_TTL, 10_000, metadataVersion);
        this.keyCache = new ExpiringCache<>(clock, METADATA_TTL, ABSENCE_TTL, 200_000, metadataVersion);
        this.keyByValueCache = new ExpiringCache<>(clock, METADATA_TTL, ABSENCE_TTL, 200_000, metadataVersion);
        this.associationCache = new ExpiringCache<>(clock, METADATA_TTL, ABSENCE_TTL, 200_000, metadataVersion);
        this.planKeyPages = new ExpiringCache<>(clock, METADATA_TTL, ABSENCE_TTL, 1_000, metadataVersion);
        telemetry.cache("usage_plan", planCache::hits, planCache::misses);
        telemetry.cache("api_key", keyCache::hits, keyCache::misses);
        telemetry.cache("api_key_value", keyByValueCache::hits, keyByValueCache::misses);
        telemetry.cache("usage_plan_key", associationCache::hits, associationCache::misses);
    }

    // ---- plans and keys -------------------------------------------------------------------------------

    @Override
    public UsagePlan createPlan(Caller caller, NewUsagePlan request) {
        caller.requireDeveloper(ErrorReason.ACCESS_DENIED);
        require("name", request.name(), NAME, "1..255 printable characters");
        require("description", request.description(), DESCRIPTION, "at most 1024 characters");
        UsagePlan plan = new UsagePlan(UsagePlanId.generate(), request.name(), request.description(), request.quota(),
                request.throttle(), zone(request.timeZone()), now());
        plans.insertPlan(plan);
        return plan;
    }

    @Override
    public UsagePlan getPlan(Caller caller, UsagePlanId id) {
        caller.requireDeveloper(ErrorReason.ACCESS_DENIED);
        return plan(id);
    }

    @Override
    public Page<UsagePlan> listPlans(Caller caller, int pageSize, String pageToken, Optional<ApiKeyId> key) {
        caller.requireDeveloper(ErrorReason.ACCESS_DENIED);
        String scope = "ListUsagePlans/" + key.map(ApiKeyId::value).orElse("*");
        PageRequest request = pageTokens.request(PAGE, scope, pageSize, pageToken);
        return pageTokens.page(scope, request, plans.plans(request, key), plan -> plan.id().value());
    }

    @Override
    public UsagePlan updatePlan(Caller caller, UsagePlanId id, UsagePlanUpdate update) {
        caller.requireDeveloper(ErrorReason.ACCESS_DENIED);
        update.name().ifPresent(name -> require("name", name, NAME, "1..255 printable characters"));
        update.description().ifPresent(description -> require("description", description, DESCRIPTION, "at most 1024 characters"));
        UsagePlan plan = plan(id);
        UsagePlan updated = new UsagePlan(plan.id(), update.name().orElse(plan.name()), update.description().orElse(plan.description()),
                updatedQuota(plan.quota(), update), updatedThrottle(plan.throttle(), update), plan.timeZone(), plan.createdAt());
        if (!plans.updatePlan(updated)) {
            throw planNotFound(id);
        }
        planCache.invalidate(id);
        throttles.forget(plan);
        return updated;
    }

    private static Optional<QuotaSettings> updatedQuota(Optional<QuotaSettings> quota, UsagePlanUpdate update) {
        return updated("quota", quota, update.removeQuota(),
                update.quotaLimit().isPresent() || update.quotaOffset().isPresent() || update.quotaPeriod().isPresent(),
                update.quotaLimit().isPresent() && update.quotaPeriod().isPresent(), "both the quota's limit and its period",
                () -> new QuotaSettings(update.quotaLimit().orElseGet(() -> quota.orElseThrow().limit()),
                        update.quotaOffset().orElseGet(() -> quota.map(QuotaSettings::offset).orElse(0L)),
                        update.quotaPeriod().orElseGet(() -> quota.orElseThrow().period())));
    }

    private static Optional<ThrottleSettings> updatedThrottle(Optional<ThrottleSettings> throttle, UsagePlanUpdate update) {
        return updated("throttle", throttle, update.removeThrottle(),
                update.throttleBurstLimit().isPresent() || update.throttleRateLimit().isPresent(),
                update.throttleBurstLimit().isPresent() && update.throttleRateLimit().isPresent(), "both the burst limit and the rate limit",
                () -> new ThrottleSettings(update.throttleBurstLimit().orElseGet(() -> throttle.orElseThrow().burstLimit()),
                        update.throttleRateLimit().orElseGet(() -> throttle.orElseThrow().rateLimit())));
    }

    /**
     * A plan's quota or throttle after an update: removed, kept, or {@code merged} with what it was; a plan
     * without one gains it only when the update gives every field ({@code complete}).
     */
    private static <S> Optional<S> updated(String field, Optional<S> current, boolean remove, boolean changes, boolean complete,
                                           String needs, Supplier<S> merged) {
        if (remove) {
            if (changes) {
                throw badRequest(field, "the " + field + " cannot be removed and changed in one update");
            }
            return Optional.empty();
        }
        if (!changes) {
            return current;
        }
        if (current.isEmpty() && !complete) {
            throw badRequest(field, "the usage plan has no " + field + ": give " + needs + " to add one");
        }
        return Optional.of(merged.get());
    }

    @Override
    public void deletePlan(Caller caller, UsagePlanId id) {
        caller.requireDeveloper(ErrorReason.ACCESS_DENIED);
        UsagePlan plan = plan(id);
        if (!plans.deletePlan(id)) {
            throw planNotFound(id);
        }
        planCache.invalidate(id);
        associationCache.invalidateIf(association -> association.startsWith(id.value() + "/"));
        planKeyPages.invalidateIf(page -> page.startsWith(id.value() + "/"));
        throttles.forget(plan);
    }

    @Override
    public NewApiKey createKey(Caller caller, String name, String description, boolean enabled, Optional<String> value) {
        caller.requireDeveloper(ErrorReason.ACCESS_DENIED);
        require("name", name, OPTIONAL_NAME, "at most 255 printable characters");
        require("description", description, DESCRIPTION, "at most 1024 characters");
        ApiKeyValue keyValue = value.map(ApiKeyValue::new).orElseGet(ApiKeyValue::generate);
        ApiKey key = new ApiKey(ApiKeyId.generate(), name, description, enabled, now());
        plans.insertKey(key, Digests.sha256(keyValue.value()), secrets.seal(valueContext(key.id()), keyValue.value()));
        return new NewApiKey(key, keyValue);
    }

    @Override
    public ApiKeyWithValue getKey(Caller caller, ApiKeyId id, boolean includeValue) {
        caller.requireDeveloper(ErrorReason.ACCESS_DENIED);
        ApiKey key = plans.key(id).orElseThrow(() -> keyNotFound(id));
        return withValues(List.of(key), includeValue).get(0);
    }

    @Override
    public Page<ApiKeyWithValue> listKeys(Caller caller, int pageSize, String pageToken, String nameQuery, boolean includeValues) {
        caller.requireDeveloper(ErrorReason.ACCESS_DENIED);
        String prefix = nameQuery(nameQuery);
        String scope = "ListApiKeys/" + prefix;
        PageRequest request = pageTokens.request(PAGE, scope, pageSize, pageToken);
        Page<ApiKey> page = pageTokens.page(scope, request, plans.keys(request, prefix), key -> key.id().value());
        return new Page<>(withValues(page.items(), includeValues), page.nextToken());
    }

    private List<ApiKeyWithValue> withValues(List<ApiKey> keys, boolean includeValues) {
        Map<ApiKeyId, byte[]> sealed = includeValues ? plans.sealedValues(keys.stream().map(ApiKey::id).toList()) : Map.of();
        return keys.stream().map(key -> new ApiKeyWithValue(key, Optional.ofNullable(sealed.get(key.id()))
                .map(value -> new ApiKeyValue(secrets.open(valueContext(key.id()), value))))).toList();
    }

    /** What a sealed key value is bound to: a value copied to another key's row does not open. */
    private static String valueContext(ApiKeyId key) {
        return "api-key/" + key.value();
    }

    @Override
    public void deleteKey(Caller caller, ApiKeyId id) {
        caller.requireDeveloper(ErrorReason.ACCESS_DENIED);
        if (!plans.deleteKey(id)) {
            throw keyNotFound(id);
        }
        keyCache.invalidate(id);
        keyByValueCache.invalidateIf(digest -> true);
        associationCache.invalidateIf(association -> association.endsWith("/" + id.value()));
        planKeyPages.invalidateIf(page -> true);
    }

    @Override
    public ApiKey updateKey(Caller caller, ApiKeyId id, Optional<Boolean> enabled, Optional<String> name, Optional<String> description) {
        caller.requireDeveloper(ErrorReason.ACCESS_DENIED);
        name.ifPresent(n -> require("name", n, OPTIONAL_NAME, "at most 255 printable characters"));
        description.ifPresent(d -> require("description", d, DESCRIPTION, "at most 1024 characters"));
        ApiKey updated = plans.updateKey(id, enabled, name, description).orElseThrow(() -> keyNotFound(id));
        keyCache.invalidate(id);
        keyByValueCache.invalidateIf(digest -> true);
        return updated;
    }

    @Override
    public ApiKey addKey(Caller caller, UsagePlanId planId, ApiKeyId keyId) {
        caller.requireDeveloper(ErrorReason.ACCESS_DENIED);
        plan(planId);
        ApiKey key = plans.key(keyId).orElseThrow(() -> keyNotFound(keyId));
        if (!plans.associate(planId, keyId, now())) {
            throw new ConflictException("key_id", "API key '" + keyId + "' is already associated with usage plan '" + planId + "'");
        }
        associationCache.invalidate(association(planId, keyId));
        planKeyPages.invalidateIf(page -> page.startsWith(planId.value() + "/"));
        return key;
    }

    @Override
    public void removeKey(Caller caller, UsagePlanId planId, ApiKeyId keyId) {
        caller.requireDeveloper(ErrorReason.ACCESS_DENIED);
        plan(planId);
        if (!plans.dissociate(planId, keyId)) {
            throw notAssociated(planId, keyId);
        }
        associationCache.invalidate(association(planId, keyId));
        planKeyPages.invalidateIf(page -> page.startsWith(planId.value() + "/"));
    }

    @Override
    public ApiKey getPlanKey(Caller caller, UsagePlanId planId, ApiKeyId keyId) {
        caller.requireDeveloper(ErrorReason.ACCESS_DENIED);
        plan(planId);
        requireAssociated(planId, keyId);
        return plans.key(keyId).orElseThrow(() -> keyNotFound(keyId));
    }

    @Override
    public Map<UsagePlanId, Long> countKeys(Caller caller, Collection<UsagePlanId> planIds) {
        caller.requireDeveloper(ErrorReason.ACCESS_DENIED);
        Map<UsagePlanId, Long> counted = plans.keyCounts(planIds);
        Map<UsagePlanId, Long> counts = new LinkedHashMap<>();
        planIds.forEach(plan -> counts.put(plan, counted.getOrDefault(plan, 0L)));
        return counts;
    }

    @Override
    public Page<ApiKey> listPlanKeys(Caller caller, UsagePlanId planId, int pageSize, String pageToken, String nameQuery) {
        caller.requireDeveloper(ErrorReason.ACCESS_DENIED);
        String prefix = nameQuery(nameQuery);
        String scope = "ListUsagePlanKeys/" + planId + "/" + prefix;
        PageRequest request = pageTokens.request(PAGE, scope, pageSize, pageToken);
        plan(planId);
        return pageTokens.page(scope, request, plans.planKeys(planId, request, prefix), key -> key.id().value());
    }

    private static String nameQuery(String nameQuery) {
        return require("name_query", nameQuery, OPTIONAL_NAME, "at most 255 printable characters");
    }

    // ---- metering -------------------------------------------------------------------------------------

    @Override
    public QuotaDecision consumeQuota(Caller caller, ConsumeQuotaCommand command) {
        QuotaDecision decision = decide(caller, command);
        telemetry.quotaDecided(OUTCOMES.get(decision.decision()));
        return decision;
    }

    private QuotaDecision decide(Caller caller, ConsumeQuotaCommand command) {
        caller.requireDeveloper(ErrorReason.ACCESS_DENIED);
        long cost = command.cost() == 0 ? 1 : command.cost();
        if (cost < 1 || cost > MAX_COST) {
            throw badRequest("cost", "cost " + command.cost() + " is out of range: expected 0 (for 1) to " + MAX_COST);
        }
        Optional<String> idempotencyKey = idempotencyKey(command.idempotencyKey());
        UsagePlan plan = plan(command.plan());
        requirePassable(plan, cost);
        Instant now = clock.instant();
        LocalDate day = plan.day(now);
        LocalDate periodStart = plan.period().start(day);
        Instant periodEnd = plan.periodEnd(day);
        Optional<IdempotencyScope> scope = idempotencyKey.map(k -> new IdempotencyScope("ConsumeQuota", plan.id(),
                command.key().target(), k, Digests.sha256("cost=" + cost)));
        if (scope.isPresent()) {
            Optional<StoredDecision> kept = ledger.decision(scope.get());
            if (kept.isPresent()) {
                return replay(scope.get(), kept.get());
            }
        }

        Optional<ApiKey> key = resolve(command.key());
        if (key.isEmpty() || !key.get().enabled() || !associated(plan.id(), key.get().id())) {
            return keep(scope, QuotaDecision.keyRejected(periodEnd));
        }
        ApiKeyId keyId = key.get().id();
        OptionalLong allowance = plan.allowance(periodStart);
        Duration wait = throttles.take(plan, keyId, cost);
        if (!wait.isZero()) {
            PeriodCounter counter = ledger.period(plan.id(), keyId, periodStart);
            return keep(scope, new QuotaDecision(Decision.THROTTLED, counter.used(), remaining(allowance, counter), periodEnd, wait));
        }
        StoredDecision result = ledger.consume(new QuotaAttempt(plan.id(), keyId, day, periodStart, allowance, cost, scope),
                (consumed, counter) -> new QuotaDecision(consumed ? Decision.ALLOWED : Decision.QUOTA_EXCEEDED, counter.used(),
                        remaining(allowance, counter), periodEnd, consumed ? Duration.ZERO : Duration.between(now, periodEnd)));
        if (result.decision().decision() != Decision.ALLOWED) {
            throttles.refund(plan, keyId, cost);
        } else {
            telemetry.unitsMetered("consume", cost);
        }
        return scope.isPresent() ? replay(scope.get(), result) : result.decision();
    }

    /**
     * A cost above the plan's throttle burst could never pass (the bucket never holds more): refused as a bad
     * request, not answered THROTTLED with a retry that would never help. A cost above the quota limit stays
     * QUOTA_EXCEEDED: UpdateUsage can grant a key more than the limit, so it may pass after all.
     */
    private static void requirePassable(UsagePlan plan, long cost) {
        if (plan.throttle().isPresent() && cost > plan.throttle().get().burstLimit()) {
            throw badRequest("cost", "cost " + cost + " is more than usage plan '" + plan.id() + "' lets through at once (burst limit "
                    + plan.throttle().get().burstLimit() + "): such a call could never pass");
        }
    }

    @Override
    public void recordUsage(Caller caller, RecordUsageCommand command) {
        caller.requireDeveloper(ErrorReason.ACCESS_DENIED);
        if (command.count() < 1 || command.count() > MAX_COST) {
            throw badRequest("count", "count " + command.count() + " is out of range: expected 1.." + MAX_COST);
        }
        Instant now = clock.instant();
        if (command.time().isBefore(now.minus(RECORD_PAST)) || command.time().isAfter(now.plus(RECORD_FUTURE))) {
            throw badRequest("time", "time " + command.time() + " is out of range: expected within the last 90 days"
                    + " and at most 5 minutes ahead of now (" + now.truncatedTo(ChronoUnit.SECONDS) + ")");
        }
        Optional<String> idempotencyKey = idempotencyKey(command.idempotencyKey());
        UsagePlan plan = plan(command.plan());
        requireAssociated(plan.id(), command.key());
        LocalDate day = plan.day(command.time());
        Optional<IdempotencyScope> scope = idempotencyKey.map(k -> new IdempotencyScope("RecordUsage", plan.id(),
                "id:" + command.key().value(), k, Digests.sha256("time=" + command.time() + "|count=" + command.count())));
        Optional<String> kept = ledger.record(plan.id(), command.key(), day, plan.period().start(day), command.count(), scope);
        if (kept.isPresent() && !kept.get().equals(scope.orElseThrow().requestHash())) {
            throw reused(scope.get());
        }
        if (kept.isEmpty()) {
            telemetry.unitsMetered("record", command.count());
        }
    }

    @Override
    public DailyUsage updateUsage(Caller caller, UsagePlanId planId, ApiKeyId keyId, long remaining) {
        caller.requireDeveloper(ErrorReason.ACCESS_DENIED);
        if (remaining < 0 || remaining > QuotaSettings.MAX_LIMIT) {
            throw badRequest("remaining", "remaining " + remaining + " is out of range: expected 0.." + QuotaSettings.MAX_LIMIT);
        }
        UsagePlan plan = plan(planId);
        if (plan.quota().isEmpty()) {
            throw badRequest("usage_plan_id", "usage plan '" + planId + "' has no quota, so there is nothing to adjust");
        }
        requireAssociated(planId, keyId);
        LocalDate day = plan.day(clock.instant());
        LocalDate periodStart = plan.period().start(day);
        long allowance = plan.allowance(periodStart).orElseThrow();
        PeriodCounter counter = ledger.setRemaining(planId, keyId, day, periodStart, allowance, remaining);
        return new DailyUsage(day, ledger.usedOn(planId, keyId, day),
                OptionalLong.of(UsageCalculator.remaining(allowance, counter.used(), counter.adjustment())));
    }

    // ---- GetUsage -------------------------------------------------------------------------------------

    @Override
    public UsageReport closestToQuota(Caller caller, UsagePlanId planId) {
        caller.requireDeveloper(ErrorReason.UNAUTHORIZED);
        UsagePlan plan = plan(planId);
        LocalDate today = plan.day(clock.instant());
        Map<ApiKeyId, List<DailyUsage>> items = new LinkedHashMap<>();
        // One key at a time: each is a one-key read (kept between reads on SQLite), where the ten together would
        // scan every key between the first and the last of them.
        for (ApiKeyId key : ledger.leastLeft(planId, plan.period().start(today), 10)) {
            items.putAll(daily(plan, List.of(key), today, today));
        }
        return new UsageReport(planId, today, today, "", items);
    }

    @Override
    public UsageReport getUsage(Caller caller, UsageQuery query) {
        caller.requireDeveloper(ErrorReason.UNAUTHORIZED);
        LocalDate start = date("start_date", query.startDate());
        LocalDate end = date("end_date", query.endDate());
        if (end.isBefore(start)) {
            throw badRequest("end_date", "end_date " + end + " is before start_date " + start);
        }
        long days = ChronoUnit.DAYS.between(start, end) + 1;
        if (days > MAX_RANGE_DAYS) {
            throw badRequest("end_date", "the range " + start + " to " + end + " covers " + days
                    + " days; at most " + MAX_RANGE_DAYS + " days (both ends counted) are allowed");
        }
        String scope = "GetUsage/" + query.plan() + "/" + query.key().map(ApiKeyId::value).orElse("*") + "/" + start + "/" + end;
        PageRequest request = pageTokens.request(USAGE_PAGE, scope, query.limit(), query.position());
        UsagePlan plan = plan(query.plan());
        List<ApiKeyId> fetched;
        if (query.key().isPresent()) {
            requireAssociated(plan.id(), query.key().get());
            fetched = List.of(keyCache.get(query.key().get(), plans::key).orElseThrow(() -> keyNotFound(query.key().get())).id());
        } else {
            fetched = planKeyPages.get(plan.id().value() + "/" + request.after().orElse("") + "/" + request.size(),
                    page -> Optional.of(plans.planKeys(plan.id(), request, "").stream().map(ApiKey::id).toList())).orElseThrow();
        }
        Page<ApiKeyId> page = pageTokens.page(scope, request, fetched, ApiKeyId::value);
        return new UsageReport(plan.id(), start, end, page.nextToken(), daily(plan, page.items(), start, end));
    }

    /** Each key's used and remaining per day from {@code start} to {@code end}, in the order of {@code keys}. */
    private Map<ApiKeyId, List<DailyUsage>> daily(UsagePlan plan, List<ApiKeyId> keys, LocalDate start, LocalDate end) {
        Map<ApiKeyId, List<UsageDay>> rows = new LinkedHashMap<>();
        keys.forEach(key -> rows.put(key, new ArrayList<>()));
        for (UsageDay row : ledger.days(plan.id(), keys, plan.period().start(start), end)) {
            rows.get(row.key()).add(row);
        }
        Map<ApiKeyId, List<DailyUsage>> items = new LinkedHashMap<>();
        rows.forEach((key, keyRows) -> items.put(key, UsageCalculator.daily(plan, start, end, keyRows)));
        return items;
    }

    // ---- helpers --------------------------------------------------------------------------------------

    /** Forgets idempotency keys older than a day, the least the contract promises to keep them. */
    public int forgetOldIdempotencyKeys() {
        return ledger.forgetIdempotencyKeys(clock.instant().minus(Duration.ofDays(1)).minus(Duration.ofHours(1)));
    }

    private QuotaDecision keep(Optional<IdempotencyScope> scope, QuotaDecision decision) {
        return scope.map(s -> replay(s, ledger.remember(s, decision))).orElse(decision);
    }

    private static QuotaDecision replay(IdempotencyScope scope, StoredDecision kept) {
        if (!kept.requestHash().equals(scope.requestHash())) {
            throw reused(scope);
        }
        return kept.decision();
    }

    private static ConflictException reused(IdempotencyScope scope) {
        return new ConflictException("idempotency_key", "idempotency_key " + TallyException.quote(scope.idempotencyKey())
                + " was already used for a different request");
    }

    private Optional<ApiKey> resolve(KeyReference reference) {
        if (reference instanceof KeyReference.ById byId) {
            return keyCache.get(byId.id(), plans::key);
        }
        return keyByValueCache.get(Digests.sha256(((KeyReference.ByValue) reference).value().value()), plans::keyByValue);
    }

    private boolean associated(UsagePlanId plan, ApiKeyId key) {
        // Not associated is an absence, kept no longer than any other.
        return associationCache.get(association(plan, key), k -> plans.associated(plan, key) ? Optional.of(true) : Optional.empty())
                .isPresent();
    }

    private static String association(UsagePlanId plan, ApiKeyId key) {
        return plan.value() + "/" + key.value();
    }

    private static OptionalLong remaining(OptionalLong allowance, PeriodCounter counter) {
        return allowance.isPresent()
                ? OptionalLong.of(UsageCalculator.remaining(allowance.getAsLong(), counter.used(), counter.adjustment()))
                : OptionalLong.empty();
    }

    private UsagePlan plan(UsagePlanId id) {
        return planCache.get(id, plans::plan).orElseThrow(() -> planNotFound(id));
    }

    private void requireAssociated(UsagePlanId plan, ApiKeyId key) {
        if (!associated(plan, key)) {
            throw notAssociated(plan, key);
        }
    }

    private static NotFoundException planNotFound(UsagePlanId id) {
        return new NotFoundException(ErrorReason.NOT_FOUND, "usage_plan_id", "Invalid Usage Plan ID specified: '" + id + "' does not exist");
    }

    private static NotFoundException keyNotFound(ApiKeyId id) {
        return new NotFoundException(ErrorReason.NOT_FOUND, "key_id", "Invalid API Key identifier specified: '" + id + "' does not exist");
    }

    private static NotFoundException notAssociated(UsagePlanId plan, ApiKeyId key) {
        return new NotFoundException(ErrorReason.NOT_FOUND, "key_id", "API key '" + key + "' is not associated with usage plan '" + plan + "'");
    }

    private static InvalidParameterException badRequest(String field, String message) {
        return new InvalidParameterException(ErrorReason.BAD_REQUEST, field, message);
    }


    /** Checks text against {@code pattern}, which says whether empty is allowed (BadRequestException). */
    private static String require(String field, String value, Pattern pattern, String expected) {
        return Ids.require(field, value, pattern, ErrorReason.BAD_REQUEST, expected);
    }

    private static Optional<String> idempotencyKey(String key) {
        if (key == null || key.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Ids.require("idempotency_key", key, IDEMPOTENCY_KEY, ErrorReason.BAD_REQUEST,
                "1..128 printable ASCII characters without spaces"));
    }

    private static ZoneId zone(String timeZone) {
        if (timeZone == null || timeZone.isEmpty()) {
            return ZoneId.of("UTC");
        }
        if (!ZoneId.getAvailableZoneIds().contains(timeZone)) {
            throw badRequest("time_zone", "time_zone " + TallyException.quote(timeZone)
                    + " is not an IANA time zone name such as Europe/Berlin or UTC");
        }
        return ZoneId.of(timeZone);
    }

    private static LocalDate date(String field, String text) {
        if (text == null || !DATE.matcher(text).matches()) {
            throw badRequest(field, field + " " + TallyException.quote(text) + " is not a date: expected YYYY-MM-DD");
        }
        try {
            // The pattern has checked the shape; LocalDate.parse would check it again, at several times the cost.
            return LocalDate.of(Integer.parseInt(text, 0, 4, 10), Integer.parseInt(text, 5, 7, 10), Integer.parseInt(text, 8, 10, 10));
        } catch (DateTimeException e) {
            throw badRequest(field, field + " " + TallyException.quote(text) + " is not a valid calendar date");
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
