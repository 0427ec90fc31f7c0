package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.persistence.StoreKind;
import dev.tally.proto.v1.CheckInLicenseRequest;
import dev.tally.proto.v1.CheckoutLicenseRequest;
import dev.tally.proto.v1.CheckoutType;
import dev.tally.proto.v1.CreateIdentityPoolRequest;
import dev.tally.proto.v1.CreateIdentityRequest;
import dev.tally.proto.v1.DescribeIdentityPoolUsageRequest;
import dev.tally.proto.v1.DescribeIdentityUsageRequest;
import dev.tally.proto.v1.EntitlementData;
import dev.tally.proto.v1.EntitlementUnit;
import dev.tally.proto.v1.GetLicenseUsageRequest;
import dev.tally.proto.v1.LicenseServiceGrpc;
import dev.tally.proto.v1.ListLicensesRequest;
import dev.tally.proto.v1.ListRecordsRequest;
import dev.tally.proto.v1.SyncServiceGrpc;
import dev.tally.proto.v1.UpdateRecordsRequest;
import dev.tally.proto.v1.UpdateUsageRequest;
import dev.tally.proto.v1.ConsumeQuotaRequest;
import dev.tally.proto.v1.CreateApiKeyRequest;
import dev.tally.proto.v1.CreateUsagePlanKeyRequest;
import dev.tally.proto.v1.CreateUsagePlanRequest;
import dev.tally.proto.v1.Decision;
import dev.tally.proto.v1.GetUsageRequest;
import dev.tally.proto.v1.QuotaPeriod;
import dev.tally.proto.v1.QuotaSettings;
import dev.tally.proto.v1.UsagePlanServiceGrpc;
import dev.tally.proto.v1.UsageServiceGrpc;
import dev.tally.server.testing.TestServer;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged server as a process, killed with SIGKILL in the middle of metering: after a restart on the same
 * store, every acknowledged call is counted, and nothing beyond the calls that were in flight. On SQLite the
 * calls share the writer's group commits, on PostgreSQL ConsumeQuota's batch statements.
 */
class CrashRecoveryIT {

    private static final String TOKEN = "crash-test-token-0123456789abcdefghijklmnop";
    private static final int WRITERS = 8;

    @TempDir
    Path dataDir;

    @ParameterizedTest(name = "on {0}")
    @EnumSource(StoreKind.class)
    void sigkillDuringConsumeQuota_losesNoAcknowledgedCall_andCountsNoneTwice(StoreKind kind) throws Exception {
        try (StoreKind.TestStore store = kind.create(dataDir)) {
            killAndRestart(store.settings().postgresUrl().map(url -> List.of("--database-url", url)).orElse(List.of()));
        }
    }

    private void killAndRestart(List<String> storeOptions) throws Exception {
        int port = freePort();
        Process server = start(port, storeOptions);
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        AtomicLong acknowledged = new AtomicLong();
        String plan;
        String key;
        try {
            var plans = TestServer.withToken(UsagePlanServiceGrpc.newBlockingStub(channel), TOKEN);
            plan = plans.createUsagePlan(CreateUsagePlanRequest.newBuilder().setName("crash")
                    .setQuota(QuotaSettings.newBuilder().setLimit(1_000_000_000).setPeriod(QuotaPeriod.QUOTA_PERIOD_MONTH)).build())
                    .getUsagePlan().getId();
            key = plans.createApiKey(CreateApiKeyRequest.newBuilder().setEnabled(true).build()).getApiKey().getId();
            plans.createUsagePlanKey(CreateUsagePlanKeyRequest.newBuilder().setUsagePlanId(plan).setKeyId(key).build());
            ConsumeQuotaRequest call = ConsumeQuotaRequest.newBuilder().setUsagePlanId(plan).setKeyId(key).build();

            AtomicBoolean killed = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
            List<Future<?>> writers = new ArrayList<>();
            for (int i = 0; i < WRITERS; i++) {
                writers.add(pool.submit(() -> {
                    while (!killed.get()) {
                        try {
                            if (plans.consumeQuota(call).getDecision() == Decision.DECISION_ALLOWED) {
                                acknowledged.incrementAndGet();
                            }
                        } catch (StatusRuntimeException gone) {
                            return;
                        }
                    }
                }));
            }
            while (acknowledged.get() < 500) {
                Thread.sleep(5);
            }
            kill(server, killed, writers, pool);
        } finally {
            channel.shutdownNow();
            server.destroyForcibly();
        }

        Process restarted = start(port, storeOptions);
        ManagedChannel again = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            String today = LocalDate.now(ZoneOffset.UTC).toString();
            long counted = TestServer.withToken(UsageServiceGrpc.newBlockingStub(again), TOKEN).getUsage(GetUsageRequest.newBuilder()
                    .setUsagePlanId(plan).setKeyId(key).setStartDate(today).setEndDate(today).build())
                    .getItemsMap().get(key).getDays(0).getUsed();

            assertThat(counted).as("acknowledged %d", acknowledged.get())
                    .isGreaterThanOrEqualTo(acknowledged.get())
                    .isLessThanOrEqualTo(acknowledged.get() + WRITERS);
        } finally {
            again.shutdownNow();
            restarted.destroy();
            restarted.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Every kind of write at once, one kind per client, killed in the middle: what was acknowledged is there
     * after the restart (at most the calls in flight beyond it), and every stored aggregate equals a recount
     * of what it sums.
     */
    @ParameterizedTest(name = "on {0}")
    @EnumSource(StoreKind.class)
    void sigkillDuringEveryKindOfWrite_keepsWhatWasAcknowledged_andAggregatesEqualARecount(StoreKind kind) throws Exception {
        try (StoreKind.TestStore store = kind.create(dataDir)) {
            List<String> storeOptions = store.settings().postgresUrl().map(url -> List.of("--database-url", url)).orElse(List.of());
            int port = freePort();
            Process server = start(port, storeOptions);
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
            var plans = TestServer.withToken(UsagePlanServiceGrpc.newBlockingStub(channel), TOKEN);
            var sync = TestServer.withToken(SyncServiceGrpc.newBlockingStub(channel), TOKEN);
            var licenses = TestServer.withToken(LicenseServiceGrpc.newBlockingStub(channel), TOKEN);
            String plan = plans.createUsagePlan(CreateUsagePlanRequest.newBuilder().setName("crash")
                    .setQuota(QuotaSettings.newBuilder().setLimit(1_000_000_000).setPeriod(QuotaPeriod.QUOTA_PERIOD_DAY)).build())
                    .getUsagePlan().getId();
            String key = plans.createApiKey(CreateApiKeyRequest.newBuilder().setEnabled(true).build()).getApiKey().getId();
            plans.createUsagePlanKey(CreateUsagePlanKeyRequest.newBuilder().setUsagePlanId(plan).setKeyId(key).build());
            String adjusted = plans.createApiKey(CreateApiKeyRequest.newBuilder().setEnabled(true).build()).getApiKey().getId();
            plans.createUsagePlanKey(CreateUsagePlanKeyRequest.newBuilder().setUsagePlanId(plan).setKeyId(adjusted).build());
            String pool = sync.createIdentityPool(CreateIdentityPoolRequest.newBuilder().setIdentityPoolName("crash").build())
                    .getIdentityPool().getIdentityPoolId();
            String identity = sync.createIdentity(CreateIdentityRequest.newBuilder().setIdentityPoolId(pool).build()).getIdentityId();
            String arn = licenses.createLicense(LicensesIT.officeLicense().toBuilder().setEntitlements(0, LicensesIT.officeLicense()
                    .getEntitlements(0).toBuilder().setMaxCount(1_000_000)).build()).getLicenseArn();

            AtomicBoolean killed = new AtomicBoolean();
            AtomicLong consumed = new AtomicLong();
            AtomicLong perpetual = new AtomicLong();
            AtomicLong provisionalOut = new AtomicLong();
            AtomicLong licensesMade = new AtomicLong();
            AtomicLong lastRemaining = new AtomicLong();
            List<String> recordsWritten = java.util.Collections.synchronizedList(new ArrayList<>());
            ExecutorService clients = Executors.newFixedThreadPool(6);
            List<Future<?>> writers = new ArrayList<>();
            writers.add(clients.submit(until(killed, () -> {
                if (plans.consumeQuota(ConsumeQuotaRequest.newBuilder().setUsagePlanId(plan).setKeyId(key).build()).getDecision()
                        == Decision.DECISION_ALLOWED) {
                    consumed.incrementAndGet();
                }
            })));
            String session = sync.listRecords(ListRecordsRequest.newBuilder().setIdentityPoolId(pool).setIdentityId(identity)
                    .setDatasetName("crash").build()).getSyncSessionToken();
            AtomicLong records = new AtomicLong();
            writers.add(clients.submit(until(killed, () -> {
                String recordKey = "key-" + records.get();
                sync.updateRecords(UpdateRecordsRequest.newBuilder().setIdentityPoolId(pool).setIdentityId(identity).setDatasetName("crash")
                        .setSyncSessionToken(session).addRecordPatches(dev.tally.proto.v1.RecordPatch.newBuilder()
                                .setOp(dev.tally.proto.v1.Operation.OPERATION_REPLACE).setKey(recordKey).setValue("value ü " + records.get()))
                        .build());
                recordsWritten.add(recordKey);
                records.incrementAndGet();
            })));
            writers.add(clients.submit(until(killed, () -> {
                licenses.checkoutLicense(seat(arn, CheckoutType.CHECKOUT_TYPE_PERPETUAL));
                perpetual.incrementAndGet();
            })));
            writers.add(clients.submit(until(killed, () -> {
                String token = licenses.checkoutLicense(seat(arn, CheckoutType.CHECKOUT_TYPE_PROVISIONAL)).getLicenseConsumptionToken();
                provisionalOut.incrementAndGet();
                licenses.checkInLicense(CheckInLicenseRequest.newBuilder().setLicenseConsumptionToken(token).build());
                provisionalOut.decrementAndGet();
            })));
            writers.add(clients.submit(until(killed, () -> {
                long remaining = lastRemaining.get() + 1;
                plans.updateUsage(UpdateUsageRequest.newBuilder().setUsagePlanId(plan).setKeyId(adjusted).setRemaining(remaining).build());
                lastRemaining.set(remaining);
            })));
            writers.add(clients.submit(until(killed, () -> {
                licenses.createLicense(LicensesIT.officeLicense().toBuilder().setClientToken("create-" + licensesMade.get()).build());
                licensesMade.incrementAndGet();
            })));
            while (consumed.get() < 100 || records.get() < 20 || perpetual.get() < 20 || licensesMade.get() < 10 || lastRemaining.get() < 10) {
                Thread.sleep(5);
            }
            kill(server, killed, writers, clients);
            channel.shutdownNow();

            Process restarted = start(port, storeOptions);
            ManagedChannel again = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
            try {
                String today = LocalDate.now(ZoneOffset.UTC).toString();
                var day = TestServer.withToken(UsageServiceGrpc.newBlockingStub(again), TOKEN).getUsage(GetUsageRequest.newBuilder()
                        .setUsagePlanId(plan).setKeyId(key).setStartDate(today).setEndDate(today).build()).getItemsMap().get(key).getDays(0);
                assertThat(day.getUsed()).isBetween(consumed.get(), consumed.get() + 1);

                var listed = TestServer.withToken(SyncServiceGrpc.newBlockingStub(again), TOKEN).listRecords(ListRecordsRequest.newBuilder()
                        .setIdentityPoolId(pool).setIdentityId(identity).setDatasetName("crash").setMaxResults(1024).build()).getRecordsList();
                assertThat(listed).extracting(dev.tally.proto.v1.Record::getKey).containsAll(recordsWritten).hasSizeBetween(recordsWritten.size(),
                        recordsWritten.size() + 1);
                long recount = listed.stream().mapToLong(r -> r.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                        + r.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8).length).sum();
                var usage = TestServer.withToken(UsageServiceGrpc.newBlockingStub(again), TOKEN);
                assertThat(usage.describeIdentityUsage(DescribeIdentityUsageRequest.newBuilder().setIdentityPoolId(pool)
                        .setIdentityId(identity).build()).getIdentityUsage().getDataStorage()).isEqualTo(recount);
                assertThat(usage.describeIdentityPoolUsage(DescribeIdentityPoolUsageRequest.newBuilder().setIdentityPoolId(pool).build())
                        .getIdentityPoolUsage().getDataStorage()).isEqualTo(recount);

                long seats = Long.parseLong(usage.getLicenseUsage(GetLicenseUsageRequest.newBuilder().setLicenseArn(arn).build())
                        .getLicenseUsage().getEntitlementUsagesList().stream().filter(e -> e.getName().equals("Seats")).findFirst()
                        .orElseThrow().getConsumedValue());
                // In flight at the kill, possibly applied: one perpetual checkout (+1), and one provisional checkout (+1)
                // or the check-in of one (-1).
                long held = perpetual.get() + provisionalOut.get();
                assertThat(seats).isBetween(held - 1, held + 2);

                long made = -1; // the license the checkouts use
                String page = "";
                do {
                    var listing = TestServer.withToken(LicenseServiceGrpc.newBlockingStub(again), TOKEN).listLicenses(ListLicensesRequest
                            .newBuilder().setPageSize(500).setPageToken(page).build());
                    made += listing.getLicensesCount();
                    page = listing.getNextPageToken();
                } while (!page.isEmpty());
                assertThat(made).isBetween(licensesMade.get(), licensesMade.get() + 1);
                long remaining = TestServer.withToken(UsageServiceGrpc.newBlockingStub(again), TOKEN).getUsage(GetUsageRequest.newBuilder()
                        .setUsagePlanId(plan).setKeyId(adjusted).setStartDate(today).setEndDate(today).build()).getItemsMap().get(adjusted)
                        .getDays(0).getRemaining();
                assertThat(remaining).isIn(lastRemaining.get(), lastRemaining.get() + 1);
                assertStoredAggregatesEqualRecounts(store.settings());
            } finally {
                again.shutdownNow();
                restarted.destroy();
                restarted.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** SIGKILLs the server mid-write, then lets its clients see it gone and stop. */
    private static void kill(Process server, AtomicBoolean killed, List<Future<?>> writers, ExecutorService clients) throws Exception {
        server.destroyForcibly();
        server.waitFor(30, TimeUnit.SECONDS);
        killed.set(true);
        for (Future<?> writer : writers) {
            writer.get(30, TimeUnit.SECONDS);
        }
        clients.shutdownNow();
    }

    /** Runs {@code write} until the server is killed; the first failure after that ends the writer. */
    private static java.util.concurrent.Callable<Void> until(AtomicBoolean killed, Runnable write) {
        return () -> {
            while (!killed.get()) {
                try {
                    write.run();
                } catch (StatusRuntimeException gone) {
                    return null;
                }
            }
            return null;
        };
    }

    private static CheckoutLicenseRequest seat(String arn, CheckoutType type) {
        return CheckoutLicenseRequest.newBuilder().setLicenseArn(arn).setCheckoutType(type).setNodeId("n")
                .addEntitlements(EntitlementData.newBuilder().setName("Seats").setValue("1").setUnit(EntitlementUnit.ENTITLEMENT_UNIT_COUNT))
                .build();
    }

    /** What each stored aggregate sums, summed again from the rows. */
    private static void assertStoredAggregatesEqualRecounts(dev.tally.persistence.DatabaseSettings settings) throws Exception {
        String url = settings.postgresUrl().orElse("jdbc:sqlite:" + settings.sqliteFile());
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(url)) {
            for (String mismatches : List.of(
                    // ConsumeQuota's day and period counters (a DAY plan: one day per period).
                    "SELECT COUNT(*) FROM usage_period p JOIN usage_day d ON d.plan_id = p.plan_id AND d.key_id = p.key_id"
                            + " AND d.day = p.period_start WHERE d.used <> p.used",
                    // What live checkouts hold, against their items.
                    "SELECT COUNT(*) FROM (SELECT license_arn, counts_until, entitlement, SUM(amount) AS total FROM license_checkout_item"
                            + " GROUP BY license_arn, counts_until, entitlement HAVING SUM(amount) <> 0) i FULL OUTER JOIN license_consumption c"
                            + " ON c.license_arn = i.license_arn AND c.counts_until = i.counts_until AND c.entitlement = i.entitlement"
                            + " WHERE c.amount IS NULL OR i.total IS NULL OR c.amount <> i.total",
                    // Datasets, identities and pools against what they hold.
                    "SELECT COUNT(*) FROM dataset d WHERE d.num_records <> (SELECT COUNT(*) FROM sync_record r WHERE r.identity_id = d.identity_id"
                            + " AND r.dataset_name = d.name)",
                    "SELECT COUNT(*) FROM identity i WHERE i.data_storage <> (SELECT COALESCE(SUM(d.data_storage), 0) FROM dataset d"
                            + " WHERE d.identity_id = i.identity_id)",
                    // A pool's usage is the sum of its stripes (V14).
                    "SELECT COUNT(*) FROM identity_pool p WHERE (SELECT COALESCE(SUM(u.data_storage), 0) FROM identity_pool_usage u"
                            + " WHERE u.pool_id = p.pool_id) <> (SELECT COALESCE(SUM(i.data_storage), 0) FROM identity i"
                            + " WHERE i.pool_id = p.pool_id)")) {
                try (java.sql.ResultSet count = connection.createStatement().executeQuery(mismatches)) {
                    assertThat(count.next()).isTrue();
                    assertThat(count.getLong(1)).as(mismatches).isZero();
                }
            }
        }
    }

    private Process start(int port, List<String> storeOptions) throws Exception {
        List<String> command = new ArrayList<>(List.of("java", "-Xmx256m", "-jar", Path.of("target", "tally-server.jar").toString(),
                "--host", "127.0.0.1", "--port", Integer.toString(port), "--http-port", "0", "--data-dir", dataDir.toString(),
                "--drain-delay", "PT0S"));
        command.addAll(storeOptions);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(dataDir.resolve("server-" + System.nanoTime() + ".log").toFile());
        builder.environment().put("TALLY_BOOTSTRAP_TOKEN", TOKEN);
        Process process = builder.start();
        ManagedChannel probe = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            HealthGrpc.newBlockingStub(probe).withWaitForReady().withDeadlineAfter(60, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance());
        } finally {
            probe.shutdownNow();
        }
        return process;
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
