package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.persistence.TestStores;
import dev.tally.proto.v1.ConsumeQuotaRequest;
import dev.tally.proto.v1.CreateApiKeyRequest;
import dev.tally.proto.v1.CreateUsagePlanKeyRequest;
import dev.tally.proto.v1.CreateUsagePlanRequest;
import dev.tally.proto.v1.Decision;
import dev.tally.proto.v1.GetUsageRequest;
import dev.tally.proto.v1.UsagePlanServiceGrpc;
import dev.tally.proto.v1.UsageServiceGrpc;
import dev.tally.server.testing.TcpProxy;
import dev.tally.server.testing.TestServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL goes away under load, twice: its connections are cut for a few seconds (the database is
 * down), then its backends are terminated (as a restart does). Calls in flight fail with UNAVAILABLE, never
 * INTERNAL; the server recovers by itself; and a client that retries with its idempotency key has every
 * call counted exactly once.
 */
class StoreOutageIT {

    private static final int CALLS = 400;

    @TempDir
    Path dir;

    @Test
    void underLoad_callsFailAsUnavailable_theServerRecovers_andRetriedCallsCountOnce() throws Exception {
        try (TestStores.PostgresSchema schema = TestStores.postgresSchema()) {
            try (TcpProxy proxy = TcpProxy.inFrontOf(schema.url());
                 TestServer server = TestServer.builder(dir).sharingDatabaseOf(proxy.route(schema.url()) + "&ApplicationName=tally-outage-it")
                         .start()) {
                var plans = server.asAdmin(UsagePlanServiceGrpc.newBlockingStub(server.channel()));
                String plan = plans.createUsagePlan(CreateUsagePlanRequest.newBuilder().setName("outage").build()).getUsagePlan().getId();
                String key = plans.createApiKey(CreateApiKeyRequest.newBuilder().setName("k").setEnabled(true).build()).getApiKey().getId();
                plans.createUsagePlanKey(CreateUsagePlanKeyRequest.newBuilder().setUsagePlanId(plan).setKeyId(key).build());

                Map<Status.Code, AtomicInteger> failures = new ConcurrentHashMap<>();
                AtomicInteger next = new AtomicInteger();
                ExecutorService clients = Executors.newFixedThreadPool(8);
                Future<?>[] workers = new Future<?>[8];
                for (int w = 0; w < workers.length; w++) {
                    workers[w] = clients.submit(() -> {
                        for (int call = next.getAndIncrement(); call < CALLS; call = next.getAndIncrement()) {
                            ConsumeQuotaRequest request = ConsumeQuotaRequest.newBuilder().setUsagePlanId(plan).setKeyId(key)
                                    .setIdempotencyKey("call-" + call).build();
                            // A careful client: retry the same call, same idempotency key, until it is acknowledged.
                            while (true) {
                                try {
                                    assertThat(server.asAdmin(UsagePlanServiceGrpc.newBlockingStub(server.channel())).consumeQuota(request)
                                            .getDecision()).isEqualTo(Decision.DECISION_ALLOWED);
                                    break;
                                } catch (StatusRuntimeException e) {
                                    failures.computeIfAbsent(e.getStatus().getCode(), c -> new AtomicInteger()).incrementAndGet();
                                    sleep(50);
                                }
                            }
                        }
                        return null;
                    });
                }
                while (next.get() < CALLS / 4) {
                    Thread.sleep(10);
                }
                proxy.cut();
                Thread.sleep(3_000);
                proxy.restore();
                while (next.get() < CALLS / 2) {
                    Thread.sleep(10);
                }
                terminateBackends(schema.baseUrl());
                for (Future<?> worker : workers) {
                    worker.get(3, TimeUnit.MINUTES);
                }
                clients.shutdown();

                assertThat(failures.keySet()).as("failures seen: " + failures).isNotEmpty().containsOnly(Status.Code.UNAVAILABLE);
                String today = LocalDate.now(ZoneOffset.UTC).toString();
                long used = server.asAdmin(UsageServiceGrpc.newBlockingStub(server.channel())).getUsage(GetUsageRequest.newBuilder()
                        .setUsagePlanId(plan).setKeyId(key).setStartDate(today).setEndDate(today).build())
                        .getItemsMap().get(key).getDays(0).getUsed();
                assertThat(used).as("each acknowledged call counted exactly once").isEqualTo(CALLS);
            }
        }
    }

    /** What a PostgreSQL restart does to the server's sessions: every one of them ends at once. */
    private static void terminateBackends(String baseUrl) throws Exception {
        try (Connection connection = DriverManager.getConnection(baseUrl)) {
            connection.createStatement().execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE application_name = 'tally-outage-it' AND pid <> pg_backend_pid()");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
