package dev.tally.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.domain.common.ApiKeyId;
import dev.tally.domain.common.Caller;
import dev.tally.domain.common.ConflictException;
import dev.tally.domain.common.InvalidParameterException;
import dev.tally.domain.common.NotFoundException;
import dev.tally.domain.common.PageTokens;
import dev.tally.domain.common.SecretBox;
import dev.tally.domain.common.Signer;
import dev.tally.domain.common.UsagePlanId;
import dev.tally.domain.quota.ConsumeQuotaCommand;
import dev.tally.domain.quota.DailyUsage;
import dev.tally.domain.quota.Decision;
import dev.tally.domain.quota.KeyReference;
import dev.tally.domain.quota.NewApiKey;
import dev.tally.domain.quota.NewUsagePlan;
import dev.tally.domain.quota.QuotaDecision;
import dev.tally.domain.quota.QuotaPeriod;
import dev.tally.domain.quota.QuotaService;
import dev.tally.domain.quota.QuotaSettings;
import dev.tally.domain.quota.RecordUsageCommand;
import dev.tally.domain.quota.ThrottleSettings;
import dev.tally.domain.quota.UsagePlan;
import dev.tally.domain.quota.UsagePlanUpdate;
import dev.tally.domain.quota.UsageQuery;
import dev.tally.domain.quota.UsageReport;
import dev.tally.domain.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Metering over a real store: exact quotas under concurrency, idempotency, throttling, and GetUsage paging. */
class QuotaStoreIT extends StoreContract {

    private static final Caller ADMIN = new Caller.Developer("0123456789abcdef");
    private static final String TODAY = "2026-07-15";

    private final TestClock clock = new TestClock(Instant.parse(TODAY + "T10:00:00Z"));
    private QuotaService quotas;

    @BeforeEach
    void wireService() {
        quotas = aServer();
    }

    /** The quota service of one server on this test's store; a second call is a second server sharing it. */
    private QuotaService aServer() {
        PageTokens pageTokens = new PageTokens(new Signer(new JooqServerSecrets(database).secret("signing")));
        return new QuotaService(new JooqUsagePlanStore(database), new JooqUsageLedger(database, clock),
                new SecretBox(SecretBox.newMasterKey()), pageTokens, clock);
    }

    @Test
    void concurrentConsumers_neverPushAPeriodPastItsLimit() throws Exception {
        UsagePlanId plan = plan(new QuotaSettings(1000, 0, QuotaPeriod.DAY), null);
        ApiKeyId key = key(plan);

        List<Races.Outcome<List<Decision>>> outcomes = Races.race(16, () -> {
            List<Decision> decisions = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                decisions.add(consume(plan, key, 1, "").decision());
            }
            return decisions;
        });

        List<Decision> all = outcomes.stream().flatMap(o -> {
            assertThat(o.failure()).isNull();
            return o.result().stream();
        }).toList();
        assertThat(all).hasSize(3200);
        assertThat(all).filteredOn(d -> d == Decision.ALLOWED).hasSize(1000);
        assertThat(all).filteredOn(d -> d == Decision.QUOTA_EXCEEDED).hasSize(2200);
        assertThat(today(plan, key)).isEqualTo(new DailyUsage(java.time.LocalDate.parse(TODAY), 1000, java.util.OptionalLong.of(0)));
        // PostgreSQL decides racing calls in shared statements (SQLite's writes share commits, GroupCommitIT).
        database.consumeBatches().ifPresent(batches -> assertThat(batches.statements()).isLessThan(3200 / 2));
    }

    @Test
    void concurrentConsumersOfManyKeys_countEachAllowedCallOnce_andStopEachKeyAtItsLimit() throws Exception {
        UsagePlanId plan = plan(new QuotaSettings(400, 0, QuotaPeriod.DAY), null);
        List<ApiKeyId> keys = List.of(key(plan), key(plan), key(plan), key(plan));

        List<Races.Outcome<Map<ApiKeyId, Long>>> outcomes = Races.race(16, () -> {
            Map<ApiKeyId, Long> allowed = new HashMap<>();
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < 150; i++) {
                ApiKeyId key = keys.get(random.nextInt(keys.size()));
                long cost = 1 + random.nextInt(3);
                QuotaDecision decision = consume(plan, key, cost, "");
                if (decision.decision() == Decision.ALLOWED) {
                    allowed.merge(key, cost, Long::sum);
                    assertThat(decision.used()).isBetween(cost, 400L);
                }
            }
            return allowed;
        });

        Map<ApiKeyId, Long> allowed = new HashMap<>();
        outcomes.forEach(o -> {
            assertThat(o.failure()).isNull();
            o.result().forEach((key, cost) -> allowed.merge(key, cost, Long::sum));
        });
        long total = 0;
        for (ApiKeyId key : keys) {
            DailyUsage today = today(plan, key);
            assertThat(today.used()).as("what was acknowledged is what is counted").isEqualTo(allowed.getOrDefault(key, 0L));
            assertThat(today.used()).isBetween(398L, 400L); // each key has 600 calls on average: it reaches its limit
            assertThat(today.remaining()).hasValue(400 - today.used());
            total += today.used();
        }
        assertThat(total).isEqualTo(allowed.values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void racingFirstCallsOfAPeriod_areAllAllowed_alsoInTransactionsOfTheirOwn() throws Exception {
        UsagePlanId plan = plan(new QuotaSettings(1000, 0, QuotaPeriod.DAY), null);
        List<ApiKeyId> keys = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            keys.add(key(plan));
        }

        // An idempotency key makes each call a transaction of its own on PostgreSQL too, where racing first calls
        // each find no counter row, and all but one find it created by another when they try to create it.
        List<Races.Outcome<List<Decision>>> outcomes = Races.race(16, () -> {
            String caller = java.util.UUID.randomUUID().toString();
            List<Decision> decisions = new ArrayList<>();
            for (ApiKeyId key : keys) {
                decisions.add(consume(plan, key, 1, caller + "-" + key).decision());
            }
            return decisions;
        });

        assertThat(outcomes).allSatisfy(outcome -> {
            assertThat(outcome.failure()).isNull();
            assertThat(outcome.result()).containsOnly(Decision.ALLOWED);
        });
        keys.forEach(key -> assertThat(today(plan, key).used()).isEqualTo(16));
    }

    @Test
    void deniedCalls_consumeNothing_andRejectedKeysAreDecisionsNotErrors() {
        UsagePlanId plan = plan(new QuotaSettings(10, 0, QuotaPeriod.DAY), null);
        ApiKeyId key = key(plan);
        ApiKeyId stranger = quotas.createKey(ADMIN, "stranger", "", true, Optional.empty()).key().id();

        QuotaDecision big = consume(plan, key, 11, "");
        QuotaDecision fits = consume(plan, key, 10, "");
        QuotaDecision unassociated = consume(plan, stranger, 1, "");
        quotas.updateKey(ADMIN, key, Optional.of(false), Optional.empty(), Optional.empty());
        QuotaDecision disabled = consume(plan, key, 1, "");

        assertThat(big.decision()).isEqualTo(Decision.QUOTA_EXCEEDED);
        assertThat(big.used()).isZero();
        assertThat(big.remaining()).hasValue(10);
        assertThat(big.retryAfter()).isEqualTo(Duration.ofHours(14));
        assertThat(fits.decision()).isEqualTo(Decision.ALLOWED);
        assertThat(fits.remaining()).hasValue(0);
        assertThat(unassociated.decision()).isEqualTo(Decision.KEY_REJECTED);
        assertThat(unassociated.used()).isZero();
        assertThat(unassociated.remaining()).isEmpty();
        assertThat(disabled.decision()).isEqualTo(Decision.KEY_REJECTED);
        assertThat(today(plan, key).used()).isEqualTo(10);
    }

    @Test
    void idempotentRetries_countOnce_alsoConcurrently_andAReusedKeyForAnotherRequestConflicts() throws Exception {
        UsagePlanId plan = plan(new QuotaSettings(100, 0, QuotaPeriod.DAY), null);
        ApiKeyId key = key(plan);

        for (int i = 0; i < 10; i++) {
            assertThat(consume(plan, key, 1, "retry-1").used()).isEqualTo(1);
        }
        List<Races.Outcome<QuotaDecision>> concurrent = Races.race(10, () -> consume(plan, key, 1, "retry-2"));

        assertThat(concurrent).allSatisfy(o -> assertThat(o.result().used()).isEqualTo(2));
        assertThat(today(plan, key).used()).isEqualTo(2);
        assertThatThrownBy(() -> consume(plan, key, 5, "retry-1")).isInstanceOf(ConflictException.class)
                .hasMessageContaining("retry-1");
        UsagePlanId tiny = plan(new QuotaSettings(0, 0, QuotaPeriod.DAY), null);
        ApiKeyId tinyKey = key(tiny);
        assertThat(consume(tiny, tinyKey, 1, "denied").decision()).isEqualTo(Decision.QUOTA_EXCEEDED);
        quotas.updateUsage(ADMIN, tiny, tinyKey, 5);
        assertThat(consume(tiny, tinyKey, 1, "denied").decision()).as("a denial is a result too").isEqualTo(Decision.QUOTA_EXCEEDED);
        assertThat(consume(tiny, tinyKey, 1, "fresh").decision()).isEqualTo(Decision.ALLOWED);
    }

    @Test
    void idempotencyKeys_areKeptADay_thenForgotten() {
        UsagePlanId plan = plan(new QuotaSettings(100, 0, QuotaPeriod.MONTH), null);
        ApiKeyId key = key(plan);
        consume(plan, key, 1, "nightly");

        clock.advance(Duration.ofHours(24));
        assertThat(quotas.forgetOldIdempotencyKeys()).isZero();
        assertThat(consume(plan, key, 1, "nightly").used()).isEqualTo(1);
        clock.advance(Duration.ofHours(2));
        assertThat(quotas.forgetOldIdempotencyKeys()).isEqualTo(1);
        assertThat(consume(plan, key, 1, "nightly").used()).isEqualTo(2);
    }

    @Test
    void throttle_allowsABurst_thenThrottles_thenRefillsAtItsRate() {
        UsagePlanId plan = plan(new QuotaSettings(1000, 0, QuotaPeriod.DAY), new ThrottleSettings(5, 2.0));
        ApiKeyId key = key(plan);

        for (int i = 0; i < 5; i++) {
            assertThat(consume(plan, key, 1, "").decision()).isEqualTo(Decision.ALLOWED);
        }
        QuotaDecision throttled = consume(plan, key, 1, "");
        clock.advance(Duration.ofMillis(499));
        QuotaDecision early = consume(plan, key, 1, "");
        clock.advance(Duration.ofMillis(1));
        QuotaDecision refilled = consume(plan, key, 1, "");
        QuotaDecision empty = consume(plan, key, 1, "");
        clock.advance(Duration.ofSeconds(10));
        long burst = java.util.stream.IntStream.range(0, 8).mapToObj(i -> consume(plan, key, 1, ""))
                .filter(d -> d.decision() == Decision.ALLOWED).count();

        assertThat(throttled.decision()).isEqualTo(Decision.THROTTLED);
        assertThat(throttled.retryAfter()).isEqualTo(Duration.ofMillis(500));
        assertThat(throttled.used()).isEqualTo(5);
        assertThat(early.decision()).isEqualTo(Decision.THROTTLED);
        assertThat(refilled.decision()).isEqualTo(Decision.ALLOWED);
        assertThat(empty.decision()).isEqualTo(Decision.THROTTLED);
        assertThat(burst).as("the bucket refills only up to its burst").isEqualTo(5);
        assertThat(today(plan, key).used()).isEqualTo(11);
    }

    @Test
    void updateUsage_setsWhatRemains_andConsumeQuotaHonoursIt_whileRecordUsageIsNotEnforced() {
        UsagePlanId plan = plan(new QuotaSettings(100, 0, QuotaPeriod.MONTH), null);
        ApiKeyId key = key(plan);
        consume(plan, key, 40, "");

        DailyUsage lowered = quotas.updateUsage(ADMIN, plan, key, 5);
        QuotaDecision over = consume(plan, key, 6, "");
        QuotaDecision fits = consume(plan, key, 5, "");
        quotas.recordUsage(ADMIN, new RecordUsageCommand(plan, key, clock.instant().minus(Duration.ofDays(3)), 500, "log-1"));
        quotas.recordUsage(ADMIN, new RecordUsageCommand(plan, key, clock.instant().minus(Duration.ofDays(3)), 500, "log-1"));

        assertThat(lowered.used()).isEqualTo(40);
        assertThat(lowered.remaining()).hasValue(5);
        assertThat(over.decision()).isEqualTo(Decision.QUOTA_EXCEEDED);
        assertThat(fits.decision()).isEqualTo(Decision.ALLOWED);
        UsageReport report = quotas.getUsage(ADMIN, new UsageQuery(plan, Optional.of(key), "2026-07-12", TODAY, "", 0));
        assertThat(report.items().get(key)).extracting(DailyUsage::used).containsExactly(500L, 0L, 0L, 45L);
        assertThatThrownBy(() -> quotas.recordUsage(ADMIN, new RecordUsageCommand(plan, key, clock.instant().minus(Duration.ofDays(91)),
                1, ""))).isInstanceOf(InvalidParameterException.class).hasMessageContaining("time");
        assertThatThrownBy(() -> quotas.recordUsage(ADMIN, new RecordUsageCommand(plan, key, clock.instant().plus(Duration.ofMinutes(6)),
                1, ""))).isInstanceOf(InvalidParameterException.class);
    }

    /** GetUsage of one key may be answered from rows kept in memory (SQLite): every write must show at once. */
    @Test
    void getUsageOfOneKey_showsEachWriteRightAfterIt_andWhileWritesRace() throws Exception {
        UsagePlanId plan = plan(new QuotaSettings(1_000_000, 0, QuotaPeriod.MONTH), null);
        ApiKeyId key = key(plan);
        UsageQuery week = new UsageQuery(plan, Optional.of(key), "2026-07-09", TODAY, "", 0);
        List<Long> seen = new ArrayList<>();

        seen.add(quotas.getUsage(ADMIN, week).items().get(key).get(6).used());
        consume(plan, key, 3, "");
        seen.add(quotas.getUsage(ADMIN, week).items().get(key).get(6).used());
        quotas.recordUsage(ADMIN, new RecordUsageCommand(plan, key, clock.instant(), 4, ""));
        seen.add(quotas.getUsage(ADMIN, week).items().get(key).get(6).used());
        quotas.updateUsage(ADMIN, plan, key, 10_000);
        DailyUsage afterUpdate = quotas.getUsage(ADMIN, week).items().get(key).get(6);

        assertThat(seen).containsExactly(0L, 3L, 7L);
        assertThat(afterUpdate.remaining()).hasValue(10_000);

        // Readers racing writers: once every write is acknowledged, a read shows them all.
        List<Races.Outcome<Long>> outcomes = Races.race(8, () -> {
            long mine = 0;
            for (int i = 0; i < 100; i++) {
                if (ThreadLocalRandom.current().nextBoolean()) {
                    Decision decision = consume(plan, key, 1, "").decision();
                    assertThat(decision).isEqualTo(Decision.ALLOWED);
                    mine++;
                } else {
                    quotas.getUsage(ADMIN, week);
                }
            }
            return mine;
        });
        long written = outcomes.stream().mapToLong(o -> {
            assertThat(o.failure()).isNull();
            return o.result();
        }).sum();
        assertThat(quotas.getUsage(ADMIN, week).items().get(key).get(6).used()).isEqualTo(7 + written);

        quotas.deleteKey(ADMIN, key);
        assertThatThrownBy(() -> quotas.getUsage(ADMIN, week)).isInstanceOf(NotFoundException.class);
    }

    /** The plan's key pages GetUsage without a key reads are kept: adding, removing and deleting keys show at once. */
    @Test
    void getUsageWithoutAKey_showsKeysAddedRemovedAndDeleted_rightAfterEach() {
        UsagePlanId plan = plan(null, null);
        ApiKeyId first = key(plan);
        UsageQuery all = new UsageQuery(plan, Optional.empty(), TODAY, TODAY, "", 0);
        List<List<ApiKeyId>> seen = new ArrayList<>();

        seen.add(List.copyOf(quotas.getUsage(ADMIN, all).items().keySet()));
        ApiKeyId second = key(plan);
        seen.add(List.copyOf(quotas.getUsage(ADMIN, all).items().keySet()));
        quotas.removeKey(ADMIN, plan, first);
        seen.add(List.copyOf(quotas.getUsage(ADMIN, all).items().keySet()));
        quotas.deleteKey(ADMIN, second);
        seen.add(List.copyOf(quotas.getUsage(ADMIN, all).items().keySet()));

        assertThat(seen.get(0)).containsExactly(first);
        assertThat(seen.get(1)).containsExactlyInAnyOrder(first, second);
        assertThat(seen.get(2)).containsExactly(second);
        assertThat(seen.get(3)).isEmpty();
    }

    @Test
    void getUsage_pagesThrough1234Keys_eachExactlyOnce_inKeyIdOrder() {
        UsagePlanId plan = plan(new QuotaSettings(10, 0, QuotaPeriod.DAY), null);
        for (int i = 0; i < 1234; i++) {
            key(plan);
        }
        List<String> seen = new ArrayList<>();
        String position = "";
        int pages = 0;
        do {
            UsageReport page = quotas.getUsage(ADMIN, new UsageQuery(plan, Optional.empty(), TODAY, TODAY, position, 100));
            page.items().keySet().forEach(k -> seen.add(k.value()));
            assertThat(page.items().values()).allSatisfy(days -> assertThat(days).hasSize(1));
            position = page.position();
            pages++;
        } while (!position.isEmpty());

        assertThat(pages).isEqualTo(13);
        assertThat(seen).hasSize(1234).doesNotHaveDuplicates().isSorted();
        assertThat(quotas.getUsage(ADMIN, new UsageQuery(plan, Optional.empty(), TODAY, TODAY, "", 0)).items())
                .as("limit 0 means 25").hasSize(25);
        assertThat(quotas.getUsage(ADMIN, new UsageQuery(plan, Optional.empty(), TODAY, TODAY, "", 500)).items()).hasSize(500);
    }

    @Test
    void getUsage_leavesOutKeysNoLongerOnThePlan_evenWhenTheirIdsFallInsideThePage() {
        UsagePlanId plan = plan(new QuotaSettings(100, 0, QuotaPeriod.DAY), null);
        List<ApiKeyId> keys = new ArrayList<>(List.of(key(plan), key(plan), key(plan)));
        keys.sort(java.util.Comparator.comparing(ApiKeyId::value));
        keys.forEach(key -> consume(plan, key, 7, ""));

        quotas.removeKey(ADMIN, plan, keys.get(1));
        UsageReport report = quotas.getUsage(ADMIN, new UsageQuery(plan, Optional.empty(), TODAY, TODAY, "", 0));

        assertThat(report.items().keySet()).containsExactly(keys.get(0), keys.get(2));
        assertThat(report.items().values()).allSatisfy(days -> assertThat(days.get(0).used()).isEqualTo(7));
    }

    @Test
    void racingCallsOnAPlanAnotherServerDeleted_failAlone_whileTheCallsSharingTheirBatchesAreCounted() throws Exception {
        UsagePlanId live = plan(new QuotaSettings(1_000_000, 0, QuotaPeriod.DAY), null);
        UsagePlanId deleted = plan(new QuotaSettings(1_000_000, 0, QuotaPeriod.DAY), null);
        ApiKeyId liveKey = key(live);
        ApiKeyId deletedKey = key(deleted);
        assertThat(consume(deleted, deletedKey, 1, "").decision()).isEqualTo(Decision.ALLOWED); // cached here
        aServer().deletePlan(ADMIN, deleted);

        List<Races.Outcome<Long>> outcomes = Races.race(16, () -> {
            long allowed = 0;
            for (int i = 0; i < 100; i++) {
                if (i % 2 == 0) {
                    assertThatThrownBy(() -> consume(deleted, deletedKey, 1, "")).isInstanceOf(NotFoundException.class);
                } else if (consume(live, liveKey, 1, "").decision() == Decision.ALLOWED) {
                    allowed++;
                }
            }
            return allowed;
        });

        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome.failure()).isNull());
        assertThat(outcomes.stream().mapToLong(Races.Outcome::result).sum()).isEqualTo(16 * 50);
        assertThat(today(live, liveKey).used()).isEqualTo(16 * 50);
    }

    @Test
    void changesAnotherServerMakes_areSeenWithinAQuarterSecond_whileItsNewAssociationsWaitForACachedAbsenceToExpire() {
        UsagePlanId plan = plan(new QuotaSettings(100, 0, QuotaPeriod.DAY), null);
        ApiKeyId disabled = key(plan);
        ApiKeyId removed = key(plan);
        ApiKeyId added = quotas.createKey(ADMIN, "added", "", true, Optional.empty()).key().id();
        ApiKeyId addedLater = quotas.createKey(ADMIN, "added later", "", true, Optional.empty()).key().id();
        for (ApiKeyId key : List.of(disabled, removed, added, addedLater)) {
            consume(plan, key, 1, ""); // cached here: two keys on the plan, two not
        }
        QuotaService otherServer = aServer();

        otherServer.addKey(ADMIN, plan, added);
        clock.advance(Duration.ofMillis(250));
        assertThat(consume(plan, added, 1, "").decision()).as("a new association moves no version").isEqualTo(Decision.KEY_REJECTED);
        clock.advance(Duration.ofSeconds(5));
        assertThat(consume(plan, added, 1, "").decision()).as("the absence expired").isEqualTo(Decision.ALLOWED);

        otherServer.addKey(ADMIN, plan, addedLater);
        otherServer.updateKey(ADMIN, disabled, Optional.of(false), Optional.empty(), Optional.empty());
        otherServer.removeKey(ADMIN, plan, removed);
        assertThat(consume(plan, disabled, 1, "").decision()).as("still cached").isEqualTo(Decision.ALLOWED);
        clock.advance(Duration.ofMillis(250));
        assertThat(consume(plan, disabled, 1, "").decision()).isEqualTo(Decision.KEY_REJECTED);
        assertThat(consume(plan, removed, 1, "").decision()).isEqualTo(Decision.KEY_REJECTED);
        assertThat(consume(plan, addedLater, 1, "").decision()).as("everything is read again").isEqualTo(Decision.ALLOWED);
    }

    @Test
    void aPlanDeletedByAnotherServer_isNotFound_whileThisServerStillHasItCached() {
        UsagePlanId plan = plan(new QuotaSettings(10, 0, QuotaPeriod.DAY), null);
        ApiKeyId key = key(plan);
        assertThat(consume(plan, key, 1, "").decision()).isEqualTo(Decision.ALLOWED);
        QuotaService otherServer = aServer();

        otherServer.deletePlan(ADMIN, plan);

        assertThatThrownBy(() -> consume(plan, key, 1, "")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("'" + plan + "' was deleted");
    }

    @Test
    void updatePlan_changesWhatItNames_andTheNewLimitAppliesToWhatWasUsed() {
        UsagePlanId plan = plan(new QuotaSettings(10, 0, QuotaPeriod.DAY), new ThrottleSettings(100, 50));
        ApiKeyId key = key(plan);
        assertThat(consume(plan, key, 6, "").decision()).isEqualTo(Decision.ALLOWED);

        UsagePlan updated = quotas.updatePlan(ADMIN, plan, UsagePlanUpdate.none().withQuotaLimit(5).withName("smaller").withoutThrottle());
        assertThat(updated.quota()).contains(new QuotaSettings(5, 0, QuotaPeriod.DAY));
        assertThat(updated.throttle()).isEmpty();
        assertThat(quotas.getPlan(ADMIN, plan)).isEqualTo(updated);
        assertThat(consume(plan, key, 1, "").decision()).isEqualTo(Decision.QUOTA_EXCEEDED);
        assertThat(aServer().getPlan(ADMIN, plan).name()).isEqualTo("smaller");

        assertThatThrownBy(() -> quotas.updatePlan(ADMIN, plan, UsagePlanUpdate.none().withoutQuota().withQuotaLimit(3)))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> quotas.updatePlan(ADMIN, plan, UsagePlanUpdate.none().withThrottleRateLimit(3)))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("no throttle");
        assertThatThrownBy(() -> quotas.updatePlan(ADMIN, new UsagePlanId("nope00"), UsagePlanUpdate.none().withName("x")))
                .isInstanceOf(NotFoundException.class);
        assertThat(quotas.getPlan(ADMIN, plan)).isEqualTo(updated);
    }

    @Test
    void keyValues_areKeptSealed_shownOnlyWhenAsked_andKeysFilterByNameAndPlan() {
        UsagePlanId plan = plan(null, null);
        NewApiKey ios = quotas.createKey(ADMIN, "ios-app", "", true, Optional.empty());
        NewApiKey web = quotas.createKey(ADMIN, "web", "", true, Optional.of("a".repeat(40)));
        quotas.addKey(ADMIN, plan, ios.key().id());

        assertThat(quotas.getKey(ADMIN, ios.key().id(), true).value()).contains(ios.value());
        assertThat(quotas.getKey(ADMIN, ios.key().id(), false).value()).isEmpty();
        assertThat(quotas.listKeys(ADMIN, 0, "", "web", true).items()).extracting(k -> k.value().orElseThrow().value())
                .containsExactly("a".repeat(40));
        assertThat(quotas.listKeys(ADMIN, 0, "", "io", false).items()).extracting(k -> k.key().id()).containsExactly(ios.key().id());
        assertThat(quotas.listKeys(ADMIN, 0, "", "%", false).items()).isEmpty();
        assertThat(quotas.listPlanKeys(ADMIN, plan, 0, "", "web").items()).isEmpty();
        assertThat(quotas.listPlans(ADMIN, 0, "", Optional.of(ios.key().id())).items()).extracting(UsagePlan::id).containsExactly(plan);
        assertThat(quotas.listPlans(ADMIN, 0, "", Optional.of(web.key().id())).items()).isEmpty();
        assertThat(quotas.getPlanKey(ADMIN, plan, ios.key().id()).name()).isEqualTo("ios-app");
        assertThatThrownBy(() -> quotas.getPlanKey(ADMIN, plan, web.key().id())).isInstanceOf(NotFoundException.class);
        // Another server with another master key cannot open the values (the database alone reveals nothing).
        assertThatThrownBy(() -> aServer().getKey(ADMIN, ios.key().id(), true)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void hugeRemainingsAndLimits_areRefused_neverOverflowACounter() {
        UsagePlanId plan = plan(new QuotaSettings(10, 0, QuotaPeriod.DAY), null);
        ApiKeyId key = key(plan);
        quotas.recordUsage(ADMIN, new RecordUsageCommand(plan, key, clock.instant(), 50, ""));
        assertThatThrownBy(() -> quotas.updateUsage(ADMIN, plan, key, Long.MAX_VALUE)).isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> new QuotaSettings(Long.MAX_VALUE, 0, QuotaPeriod.DAY)).isInstanceOf(InvalidParameterException.class);
        assertThat(quotas.updateUsage(ADMIN, plan, key, QuotaSettings.MAX_LIMIT).remaining()).hasValue(QuotaSettings.MAX_LIMIT);
        assertThat(today(plan, key).remaining()).hasValue(QuotaSettings.MAX_LIMIT);
    }

    @Test
    void deleteKey_removesItsAssociationsAndUsage_andItsValueNoLongerConsumes() {
        UsagePlanId plan = plan(new QuotaSettings(10, 0, QuotaPeriod.DAY), null);
        NewApiKey key = quotas.createKey(ADMIN, "doomed", "", true, Optional.empty());
        quotas.addKey(ADMIN, plan, key.key().id());
        assertThat(consume(plan, key.key().id(), 2, "").decision()).isEqualTo(Decision.ALLOWED);

        quotas.deleteKey(ADMIN, key.key().id());
        assertThat(quotas.listPlanKeys(ADMIN, plan, 0, "", "").items()).isEmpty();
        assertThat(quotas.consumeQuota(ADMIN, new ConsumeQuotaCommand(plan, new KeyReference.ByValue(key.value()), 1, "")).decision())
                .isEqualTo(Decision.KEY_REJECTED);
        assertThatThrownBy(() -> quotas.deleteKey(ADMIN, key.key().id())).isInstanceOf(NotFoundException.class);
        assertThat(quotas.getUsage(ADMIN, new UsageQuery(plan, Optional.empty(), TODAY, TODAY, "", 0)).items()).isEmpty();
    }

    @Test
    void countKeys_countsEachPlansKeysInOneRead_andZeroForPlansWithout() {
        UsagePlanId two = plan(new QuotaSettings(10, 0, QuotaPeriod.DAY), null);
        UsagePlanId none = plan(new QuotaSettings(10, 0, QuotaPeriod.DAY), null);
        key(two);
        key(two);
        assertThat(quotas.countKeys(ADMIN, List.of(two, none))).containsExactly(java.util.Map.entry(two, 2L), java.util.Map.entry(none, 0L));
    }

    @Test
    void closestToQuota_ordersAllThePlansKeysByWhatRemains_adjustmentsIncluded() {
        UsagePlanId plan = plan(new QuotaSettings(100, 0, QuotaPeriod.MONTH), null);
        ApiKeyId light = key(plan);
        ApiKeyId heavy = key(plan);
        ApiKeyId adjusted = key(plan);
        ApiKeyId idle = key(plan);
        consume(plan, light, 10, "");
        consume(plan, heavy, 60, "");
        consume(plan, adjusted, 30, "");
        quotas.updateUsage(ADMIN, plan, adjusted, 5);
        var closest = quotas.closestToQuota(ADMIN, plan).items();
        assertThat(closest.keySet()).containsExactly(adjusted, heavy, light).doesNotContain(idle);
        assertThat(closest.get(adjusted).get(0).remaining()).hasValue(5);
        assertThat(closest.get(heavy).get(0).remaining()).hasValue(40);
        quotas.removeKey(ADMIN, plan, heavy);
        assertThat(quotas.closestToQuota(ADMIN, plan).items().keySet()).containsExactly(adjusted, light);
    }

    private UsagePlanId plan(QuotaSettings quota, ThrottleSettings throttle) {
        return quotas.createPlan(ADMIN, new NewUsagePlan("plan", "", Optional.ofNullable(quota), Optional.ofNullable(throttle), ""))
                .id();
    }

    private ApiKeyId key(UsagePlanId plan) {
        ApiKeyId key = quotas.createKey(ADMIN, "key", "", true, Optional.empty()).key().id();
        quotas.addKey(ADMIN, plan, key);
        return key;
    }

    private QuotaDecision consume(UsagePlanId plan, ApiKeyId key, long cost, String idempotencyKey) {
        return quotas.consumeQuota(ADMIN, new ConsumeQuotaCommand(plan, new KeyReference.ById(key), cost, idempotencyKey));
    }

    private DailyUsage today(UsagePlanId plan, ApiKeyId key) {
        return quotas.getUsage(ADMIN, new UsageQuery(plan, Optional.of(key), TODAY, TODAY, "", 0)).items().get(key).get(0);
    }
}
