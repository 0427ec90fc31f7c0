package dev.tally.persistence;

import static dev.tally.persistence.jooq.Tables.DATASET;
import static dev.tally.persistence.jooq.Tables.IDENTITY;
import static dev.tally.persistence.jooq.Tables.IDENTITY_POOL;
import static dev.tally.persistence.jooq.Tables.IDENTITY_POOL_USAGE;
import static dev.tally.persistence.jooq.Tables.SYNC_RECORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.domain.common.Caller;
import dev.tally.domain.common.IdentityId;
import dev.tally.domain.common.IdentityPoolId;
import dev.tally.domain.common.LimitExceededException;
import dev.tally.domain.common.NotFoundException;
import dev.tally.domain.common.PageTokens;
import dev.tally.domain.common.ResourceConflictException;
import dev.tally.domain.common.Signer;
import dev.tally.domain.sync.DatasetName;
import dev.tally.domain.sync.IdentityPoolService;
import dev.tally.domain.sync.IdentitySyncService;
import dev.tally.domain.sync.ListRecordsQuery;
import dev.tally.domain.sync.ListRecordsResult;
import dev.tally.domain.sync.Record;
import dev.tally.domain.sync.RecordPatch;
import dev.tally.domain.sync.SyncLimits;
import dev.tally.domain.sync.SyncSessions;
import dev.tally.domain.sync.UpdateRecordsCommand;
import dev.tally.domain.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Records, datasets and their aggregates over a real store: atomicity, concurrency and the recount invariant. */
class IdentitySyncStoreIT extends StoreContract {

    private static final Caller ADMIN = new Caller.Developer("0123456789abcdef");

    private final TestClock clock = new TestClock(Instant.parse("2026-05-01T12:00:00Z"));
    private IdentityPoolService pools;
    private IdentitySyncService sync;

    @BeforeEach
    void wireServices() {
        Signer signer = new Signer(new JooqServerSecrets(database).secret("signing"));
        PageTokens pageTokens = new PageTokens(signer);
        JooqIdentityRegistry registry = new JooqIdentityRegistry(database);
        pools = new IdentityPoolService(registry, pageTokens, clock, "us-east-1");
        sync = new IdentitySyncService(new JooqDatasetStore(database), registry, new SyncSessions(signer, clock), pageTokens, clock);
    }

    @Test
    void concurrentUpdatesOfOneKeyAtTheSameSyncCount_exactlyOneWins() throws Exception {
        IdentityPoolId pool = pools.createPool(ADMIN, "race").id();
        IdentityId identity = pools.createIdentity(ADMIN, pool);
        DatasetName dataset = new DatasetName("contested");
        for (long round = 0; round < 15; round++) {
            long syncCount = round;
            Callable<List<Record>> write = () -> update(pool, identity, dataset, replace("k", "v" + Thread.currentThread().getId(), syncCount));

            List<Races.Outcome<List<Record>>> outcomes = Races.race(2, write);

            assertThat(outcomes).filteredOn(Races.Outcome::succeeded).hasSize(1);
            assertThat(outcomes).filteredOn(o -> !o.succeeded())
                    .singleElement().satisfies(o -> assertThat(o.failure()).isInstanceOf(ResourceConflictException.class));
        }
        assertThat(records(pool, identity, dataset)).singleElement().satisfies(r -> assertThat(r.syncCount()).isEqualTo(15));
        assertAggregatesMatchRecount();
    }

    @Test
    void concurrentWritersOfOnePool_neverLoseACountOfItsUsage_inWhicheverStripesTheyLand() throws Exception {
        IdentityPoolId pool = pools.createPool(ADMIN, "busy").id();
        List<IdentityId> identities = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            identities.add(pools.createIdentity(ADMIN, pool));
        }
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();

        List<Races.Outcome<Integer>> outcomes = Races.race(8, () -> {
            IdentityId identity = identities.get(next.getAndIncrement());
            for (int n = 0; n < 25; n++) {
                update(pool, identity, new DatasetName("d"), replace("k" + n, "value", 0));
                sync.listRecords(ADMIN, new ListRecordsQuery(pool, identity, new DatasetName("d"), 0, "", 0, ""));
            }
            return 0;
        });

        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome.failure()).isNull());
        var usage = sync.describeIdentityPoolUsage(ADMIN, pool);
        assertThat(usage.dataStorage()).isEqualTo(8 * 25 * ("k0".length() + "value".length()) + 8 * 15);
        // Each update opened a session (it passes none), and so did each listing.
        assertThat(usage.syncSessionsCount()).hasValue(8 * 25 * 2);
        int stripes = database.read().fetchCount(IDENTITY_POOL_USAGE, IDENTITY_POOL_USAGE.POOL_ID.eq(pool.value()));
        if (kind == StoreKind.SQLITE) {
            assertThat(stripes).as("one writer, one stripe").isEqualTo(1);
        } else {
            assertThat(stripes).as("concurrent transactions spread over stripes").isGreaterThan(1).isLessThanOrEqualTo(Database.STRIPES);
        }
        assertAggregatesMatchRecount();
    }

    @Test
    void aggregates_equalAFromScratchRecount_afterARandomSequenceOf500Operations() {
        Random random = new Random(20261122);
        List<IdentityPoolId> poolIds = List.of(pools.createPool(ADMIN, "a").id(), pools.createPool(ADMIN, "b").id());
        List<IdentityPoolId> poolOf = new ArrayList<>();
        List<IdentityId> identities = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            IdentityPoolId pool = poolIds.get(i % 2);
            poolOf.add(pool);
            identities.add(pools.createIdentity(ADMIN, pool));
        }
        Map<String, Long> syncCounts = new HashMap<>();
        int accepted = 0;
        for (int op = 0; op < 500; op++) {
            int who = random.nextInt(identities.size());
            IdentityPoolId pool = poolOf.get(who);
            IdentityId identity = identities.get(who);
            DatasetName dataset = new DatasetName("d" + random.nextInt(3));
            String key = "k" + random.nextInt(6) + (random.nextBoolean() ? "é" : "");
            String slot = identity + "/" + dataset + "/" + key;
            long current = syncCounts.getOrDefault(slot, 0L);
            clock.advance(Duration.ofSeconds(1));
            int dice = random.nextInt(20);
            try {
                if (dice == 0) {
                    sync.deleteDataset(ADMIN, pool, identity, dataset);
                    syncCounts.keySet().removeIf(s -> s.startsWith(identity + "/" + dataset + "/"));
                } else if (dice < 5) {
                    update(pool, identity, dataset, new RecordPatch(RecordPatch.Operation.REMOVE, key, "", current, Optional.empty()));
                    syncCounts.remove(slot);
                } else if (dice == 5) {
                    update(pool, identity, dataset, replace(key, "stale", current + 1));
                    throw new AssertionError("a stale sync count must be refused");
                } else if (dice == 6) {
                    update(pool, identity, dataset, replace(key, "x", current), replace("big", "v".repeat(1_048_575), 0));
                    throw new AssertionError("an update over 1 MB must be refused");
                } else {
                    String value = "v€😀".repeat(random.nextInt(40));
                    update(pool, identity, dataset, replace(key, value, current));
                    syncCounts.put(slot, current + 1);
                }
                accepted++;
            } catch (ResourceConflictException | LimitExceededException | NotFoundException expected) {
                // Refused operations must change nothing; the recount below proves it.
            }
            if (op % 100 == 99) {
                assertAggregatesMatchRecount();
            }
        }
        assertThat(accepted).isGreaterThan(300);
        assertAggregatesMatchRecount();
    }

    @Test
    void listRecords_returnsOnlyChangesAfterTheSyncCount_pagedByKey() {
        IdentityPoolId pool = pools.createPool(ADMIN, "paging").id();
        IdentityId identity = pools.createIdentity(ADMIN, pool);
        DatasetName dataset = new DatasetName("notes");
        List<RecordPatch> first = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            first.add(replace("n" + i, "text " + i, 0));
        }
        update(pool, identity, dataset, first.toArray(RecordPatch[]::new));
        update(pool, identity, dataset, replace("n3", "edited", 1));

        ListRecordsResult changed = sync.listRecords(ADMIN, new ListRecordsQuery(pool, identity, dataset, 1, "", 0, ""));
        List<String> keys = new ArrayList<>();
        String next = "";
        do {
            ListRecordsResult page = sync.listRecords(ADMIN, new ListRecordsQuery(pool, identity, dataset, 0, next, 3, ""));
            page.records().forEach(r -> keys.add(r.key()));
            next = page.nextToken();
        } while (!next.isEmpty());

        assertThat(changed.records()).extracting(Record::key).containsExactly("n3");
        assertThat(changed.datasetSyncCount()).isEqualTo(2);
        assertThat(changed.datasetExists()).isTrue();
        assertThat(keys).containsExactly("n0", "n1", "n2", "n3", "n4", "n5", "n6");
        assertThat(sync.describeIdentityPoolUsage(ADMIN, pool).syncSessionsCount()).hasValue(6);
    }

    @Test
    void deletedDataset_dropsOutOfEveryFigure() {
        IdentityPoolId pool = pools.createPool(ADMIN, "deleting").id();
        IdentityId identity = pools.createIdentity(ADMIN, pool);
        update(pool, identity, new DatasetName("keep"), replace("a", "1", 0));
        update(pool, identity, new DatasetName("drop"), replace("b", "22", 0), replace("c", "333", 0));

        var deleted = sync.deleteDataset(ADMIN, pool, identity, new DatasetName("drop"));

        assertThat(deleted.numRecords()).isEqualTo(2);
        assertThat(deleted.dataStorage()).isEqualTo(7);
        var usage = sync.describeIdentityUsage(ADMIN, pool, identity);
        assertThat(usage.datasetCount()).isEqualTo(1);
        assertThat(usage.dataStorage()).isEqualTo(2);
        assertThat(sync.describeIdentityPoolUsage(ADMIN, pool).dataStorage()).isEqualTo(2);
        assertThat(sync.listDatasets(ADMIN, pool, identity, "", 0).items()).extracting(d -> d.name().value()).containsExactly("keep");
        assertThatThrownBy(() -> sync.deleteDataset(ADMIN, pool, identity, new DatasetName("drop"))).isInstanceOf(NotFoundException.class);
        assertAggregatesMatchRecount();
    }

    @Test
    void deletingAPool_deletesItsIdentitiesDatasetsRecordsAndUsage_andNoOtherPool() {
        IdentityPoolId doomed = pools.createPool(ADMIN, "doomed").id();
        IdentityPoolId kept = pools.createPool(ADMIN, "kept").id();
        IdentityId gone = pools.createIdentity(ADMIN, doomed);
        IdentityId stays = pools.createIdentity(ADMIN, kept);
        update(doomed, gone, new DatasetName("prefs"), replace("theme", "dark", 0));
        update(kept, stays, new DatasetName("prefs"), replace("theme", "light", 0));
        new JooqIdentityTokenStore(database).insert(new dev.tally.domain.access.StoredIdentityToken("t0123456789abcde",
                dev.tally.domain.access.TokenDigest.of("tly_i_" + "x".repeat(40)), doomed, gone, clock.instant(),
                clock.instant().plusSeconds(60), Optional.empty()), "ASIAAAAAAAAAAAAAAAAA", new byte[] {1, 2, 3});

        pools.deletePool(ADMIN, doomed);

        assertThatThrownBy(() -> pools.describePool(ADMIN, doomed)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> sync.describeIdentityPoolUsage(ADMIN, doomed)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> sync.describeIdentityUsage(ADMIN, doomed, gone)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> pools.describeIdentity(ADMIN, gone)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> pools.deletePool(ADMIN, doomed)).isInstanceOf(NotFoundException.class);
        assertThat(database.read().fetchCount(SYNC_RECORD)).isEqualTo(1);
        assertThat(database.read().fetchCount(DATASET)).isEqualTo(1);
        assertThat(database.read().fetchCount(dev.tally.persistence.jooq.Tables.IDENTITY_TOKEN)).isZero();
        assertThat(sync.describeIdentityUsage(ADMIN, kept, stays).dataStorage()).isEqualTo("theme".length() + "light".length());
        assertThat(sync.listIdentityPoolUsage(ADMIN, 0, "").items()).extracting(u -> u.pool()).containsExactly(kept);
        assertAggregatesMatchRecount();
    }

    @Test
    void identitiesPoolUsagesAndDatasets_areDescribedAndPaged() {
        IdentityPoolId pool = pools.createPool(ADMIN, "paged").id();
        List<IdentityId> identities = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            identities.add(pools.createIdentity(ADMIN, pool));
        }
        clock.advance(Duration.ofMinutes(1));
        update(pool, identities.get(0), new DatasetName("d"), replace("k", "v", 0));
        var first = pools.listIdentities(ADMIN, pool, 3, "");
        var second = pools.listIdentities(ADMIN, pool, 3, first.nextToken());
        assertThat(second.nextToken()).isEmpty();
        List<IdentityId> listed = new ArrayList<>();
        first.items().forEach(d -> listed.add(d.identity()));
        second.items().forEach(d -> listed.add(d.identity()));
        assertThat(listed).containsExactlyInAnyOrderElementsOf(identities).isSortedAccordingTo(java.util.Comparator.comparing(IdentityId::value));
        var described = pools.describeIdentity(ADMIN, identities.get(0));
        assertThat(described.pool()).isEqualTo(pool);
        assertThat(described.lastModified()).isEqualTo(clock.instant()).isAfter(described.createdAt());
        assertThat(pools.describeIdentity(ADMIN, identities.get(1)).lastModified()).isEqualTo(described.createdAt());
        assertThatThrownBy(() -> pools.listIdentities(ADMIN, new IdentityPoolId("us-east-1:00000000-0000-0000-0000-000000000000"), 0, ""))
                .isInstanceOf(NotFoundException.class);

        assertThat(sync.describeDataset(ADMIN, pool, identities.get(0), new DatasetName("d")).numRecords()).isEqualTo(1);
        assertThatThrownBy(() -> sync.describeDataset(ADMIN, pool, identities.get(1), new DatasetName("d")))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("dataset");
        IdentityPoolId otherPool = pools.createPool(ADMIN, "other").id();
        assertThatThrownBy(() -> sync.describeDataset(ADMIN, otherPool, identities.get(0), new DatasetName("d")))
                .isInstanceOf(NotFoundException.class);

        var usages = sync.listIdentityPoolUsage(ADMIN, 1, "");
        assertThat(usages.items()).hasSize(1);
        var rest = sync.listIdentityPoolUsage(ADMIN, 1, usages.nextToken());
        assertThat(List.of(usages.items().get(0).pool(), rest.items().get(0).pool())).containsExactlyInAnyOrder(pool, otherPool);
        var usageOfPool = usages.items().get(0).pool().equals(pool) ? usages.items().get(0) : rest.items().get(0);
        assertThat(usageOfPool.dataStorage()).isEqualTo(2);
        assertThat(usageOfPool.name()).isEqualTo("paged");
        assertThat(usageOfPool.syncSessionsCount()).hasValue(1);
        var usageOfOther = usages.items().get(0).pool().equals(otherPool) ? usages.items().get(0) : rest.items().get(0);
        assertThat(usageOfOther.syncSessionsCount()).isEmpty();
        assertThatThrownBy(() -> sync.listIdentityPoolUsage(new Caller.Identity("t", pool, identities.get(0)), 0, ""))
                .isInstanceOf(dev.tally.domain.common.PermissionDeniedException.class);
    }

    @Test
    void usageReads_seeEveryKindOfWrite_atOnce_evenWhileReadersRace() throws Exception {
        IdentityPoolId pool = pools.createPool(ADMIN, "fresh").id();
        IdentityId unborn = IdentityId.generate("us-east-1");
        assertThatThrownBy(() -> sync.describeIdentityUsage(ADMIN, pool, unborn)).isInstanceOf(NotFoundException.class);
        assertThat(sync.describeIdentityPoolUsage(ADMIN, pool).syncSessionsCount()).isEmpty();
        IdentityId identity = pools.createIdentity(ADMIN, pool);
        assertThat(sync.describeIdentityUsage(ADMIN, pool, identity).dataStorage()).isZero();

        update(pool, identity, new DatasetName("d"), replace("k", "v", 0));
        assertThat(sync.describeIdentityUsage(ADMIN, pool, identity).dataStorage()).isEqualTo(2);
        assertThat(sync.describeIdentityPoolUsage(ADMIN, pool).dataStorage()).isEqualTo(2);
        assertThat(sync.describeIdentityPoolUsage(ADMIN, pool).syncSessionsCount()).hasValue(1);
        sync.listRecords(ADMIN, new ListRecordsQuery(pool, identity, new DatasetName("d"), 0, "", 0, ""));
        assertThat(sync.describeIdentityPoolUsage(ADMIN, pool).syncSessionsCount()).hasValue(2);
        sync.deleteDataset(ADMIN, pool, identity, new DatasetName("d"));
        assertThat(sync.describeIdentityUsage(ADMIN, pool, identity).datasetCount()).isZero();
        assertThat(sync.describeIdentityPoolUsage(ADMIN, pool).dataStorage()).isZero();

        // A write acknowledged to its caller shows in every read that starts after it, whatever reads race it.
        java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.ExecutorService readers = java.util.concurrent.Executors.newFixedThreadPool(3);
        for (int i = 0; i < 3; i++) {
            readers.submit(() -> {
                while (writing.get()) {
                    sync.describeIdentityUsage(ADMIN, pool, identity);
                    sync.describeIdentityPoolUsage(ADMIN, pool);
                }
                return null;
            });
        }
        try {
            for (int n = 1; n <= 60; n++) {
                update(pool, identity, new DatasetName("race"), replace("k" + n, "v", 0));
                assertThat(sync.describeIdentityUsage(ADMIN, pool, identity).dataStorage()).isEqualTo(n * ("k".length() + 1L + 1) + (n >= 10 ? n - 9 : 0));
                assertThat(sync.describeIdentityPoolUsage(ADMIN, pool).dataStorage()).isEqualTo(sync.describeIdentityUsage(ADMIN, pool, identity).dataStorage());
            }
        } finally {
            writing.set(false);
            readers.shutdown();
            assertThat(readers.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }
        pools.deletePool(ADMIN, pool);
        assertThatThrownBy(() -> sync.describeIdentityPoolUsage(ADMIN, pool)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> sync.describeIdentityUsage(ADMIN, pool, identity)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void largestIdentities_areOrderedByBytesStored() {
        IdentityPoolId pool = pools.createPool(ADMIN, "sizes").id();
        IdentityId small = pools.createIdentity(ADMIN, pool);
        IdentityId large = pools.createIdentity(ADMIN, pool);
        IdentityId empty = pools.createIdentity(ADMIN, pool);
        update(pool, small, new DatasetName("d"), replace("k", "v", 0));
        update(pool, large, new DatasetName("d"), replace("k", "v".repeat(100), 0));
        assertThat(sync.largestIdentities(ADMIN, pool)).extracting(u -> u.identity()).containsExactly(large, small, empty);
        assertThatThrownBy(() -> sync.largestIdentities(ADMIN, new IdentityPoolId("us-east-1:00000000-0000-0000-0000-000000000000")))
                .isInstanceOf(NotFoundException.class);
    }

    private List<Record> update(IdentityPoolId pool, IdentityId identity, DatasetName dataset, RecordPatch... patches) {
        String session = sync.listRecords(ADMIN, new ListRecordsQuery(pool, identity, dataset, 0, "", 1, "")).sessionToken();
        return sync.updateRecords(ADMIN, new UpdateRecordsCommand(pool, identity, dataset, session, "test-device", List.of(patches)));
    }

    private List<Record> records(IdentityPoolId pool, IdentityId identity, DatasetName dataset) {
        return sync.listRecords(ADMIN, new ListRecordsQuery(pool, identity, dataset, 0, "", 1024, "")).records();
    }

    private static RecordPatch replace(String key, String value, long syncCount) {
        return new RecordPatch(RecordPatch.Operation.REPLACE, key, value, syncCount, Optional.empty());
    }

    /** Recomputes every aggregate from the raw records and compares it with what the writes maintained. */
    private void assertAggregatesMatchRecount() {
        Map<String, long[]> perDataset = new HashMap<>();
        Map<String, Long> perIdentity = new HashMap<>();
        for (var r : database.read().selectFrom(SYNC_RECORD).fetch()) {
            long size = SyncLimits.size(r.getRecordKey(), r.getRecordValue());
            long[] dataset = perDataset.computeIfAbsent(r.getIdentityId() + "/" + r.getDatasetName(), k -> new long[2]);
            dataset[0]++;
            dataset[1] += size;
            perIdentity.merge(r.getIdentityId(), size, Long::sum);
        }
        Map<String, Long> datasetsPerIdentity = new HashMap<>();
        for (var d : database.read().selectFrom(DATASET).fetch()) {
            long[] recount = perDataset.getOrDefault(d.getIdentityId() + "/" + d.getName(), new long[2]);
            assertThat(d.getNumRecords()).as("records of %s/%s", d.getIdentityId(), d.getName()).isEqualTo(recount[0]);
            assertThat(d.getDataStorage()).as("bytes of %s/%s", d.getIdentityId(), d.getName()).isEqualTo(recount[1]);
            datasetsPerIdentity.merge(d.getIdentityId(), 1L, Long::sum);
        }
        Map<String, Long> perPool = new HashMap<>();
        for (var i : database.read().selectFrom(IDENTITY).fetch()) {
            assertThat(i.getDataStorage()).as("bytes of %s", i.getIdentityId()).isEqualTo(perIdentity.getOrDefault(i.getIdentityId(), 0L));
            assertThat(i.getDatasetCount()).as("datasets of %s", i.getIdentityId())
                    .isEqualTo(datasetsPerIdentity.getOrDefault(i.getIdentityId(), 0L));
            perPool.merge(i.getPoolId(), i.getDataStorage(), Long::sum);
        }
        // A pool's usage is the sum of its stripes (V14).
        Map<String, Long> stripes = new HashMap<>();
        for (var u : database.read().selectFrom(IDENTITY_POOL_USAGE).fetch()) {
            stripes.merge(u.getPoolId(), u.getDataStorage(), Long::sum);
        }
        for (var p : database.read().selectFrom(IDENTITY_POOL).fetch()) {
            assertThat(stripes.getOrDefault(p.getPoolId(), 0L)).as("bytes of pool %s", p.getPoolId())
                    .isEqualTo(perPool.getOrDefault(p.getPoolId(), 0L));
            assertThat(new JooqDatasetStore(database).poolUsage(new IdentityPoolId(p.getPoolId())).orElseThrow().dataStorage())
                    .isEqualTo(perPool.getOrDefault(p.getPoolId(), 0L));
        }
    }
}
