package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.persistence.StoreKind;
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
            server.destroyForcibly();
            server.waitFor(30, TimeUnit.SECONDS);
            killed.set(true);
            for (Future<?> writer : writers) {
                writer.get(30, TimeUnit.SECONDS);
            }
            pool.shutdownNow();
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
