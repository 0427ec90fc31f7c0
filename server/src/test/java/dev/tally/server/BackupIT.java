package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.proto.v1.ConsumeQuotaRequest;
import dev.tally.proto.v1.CreateApiKeyRequest;
import dev.tally.proto.v1.CreateUsagePlanKeyRequest;
import dev.tally.proto.v1.CreateUsagePlanRequest;
import dev.tally.proto.v1.GetApiKeyRequest;
import dev.tally.proto.v1.GetUsageRequest;
import dev.tally.proto.v1.UsagePlanServiceGrpc;
import dev.tally.proto.v1.UsageServiceGrpc;
import dev.tally.server.testing.TestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tally-server backup}: a consistent copy taken under write load, which a server then opens and serves. */
class BackupIT {

    @TempDir
    Path dir;

    @Test
    void aBackupUnderWriteLoad_opensAndServesASnapshot() throws Exception {
        Path data = dir.resolve("data");
        Path copy = dir.resolve("backup.db");
        String plan;
        String key;
        String keyValue;
        long acknowledgedBefore;
        long acknowledgedAfter;
        try (TestServer server = TestServer.start(data)) {
            var plans = server.asAdmin(UsagePlanServiceGrpc.newBlockingStub(server.channel()));
            plan = plans.createUsagePlan(CreateUsagePlanRequest.newBuilder().setName("backed up").build()).getUsagePlan().getId();
            var created = plans.createApiKey(CreateApiKeyRequest.newBuilder().setName("k").setEnabled(true).build()).getApiKey();
            key = created.getId();
            keyValue = created.getValue();
            plans.createUsagePlanKey(CreateUsagePlanKeyRequest.newBuilder().setUsagePlanId(plan).setKeyId(key).build());

            AtomicLong acknowledged = new AtomicLong();
            AtomicBoolean load = new AtomicBoolean(true);
            ExecutorService writers = Executors.newFixedThreadPool(4);
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                running.add(writers.submit(() -> {
                    while (load.get()) {
                        plans.consumeQuota(ConsumeQuotaRequest.newBuilder().setUsagePlanId(plan).setKeyId(key).build());
                        acknowledged.incrementAndGet();
                    }
                    return null;
                }));
            }
            while (acknowledged.get() < 200) {
                Thread.sleep(5);
            }
            acknowledgedBefore = acknowledged.get();
            StringWriter out = new StringWriter();
            CommandLine backup = TallyServerMain.commandLine();
            backup.setOut(new PrintWriter(out));
            int exit = backup.execute("backup", "--data-dir", data.toString(), "--to", copy.toString());
            load.set(false);
            for (Future<?> writer : running) {
                writer.get(30, TimeUnit.SECONDS);
            }
            writers.shutdown();
            acknowledgedAfter = acknowledged.get();
            assertThat(exit).isZero();
            assertThat(acknowledgedAfter).isGreaterThan(acknowledgedBefore);
        }

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy))).isEqualTo("rw-------");
        Path restored = dir.resolve("restored");
        Files.createDirectories(restored);
        Files.copy(copy, restored.resolve("tally.db"));
        Files.copy(data.resolve("master.key"), restored.resolve("master.key"));
        Files.copy(data.resolve("admin.token"), restored.resolve("admin.token"));
        try (TestServer server = TestServer.start(restored)) {
            String today = LocalDate.now(ZoneOffset.UTC).toString();
            long used = server.asAdmin(UsageServiceGrpc.newBlockingStub(server.channel())).getUsage(GetUsageRequest.newBuilder()
                    .setUsagePlanId(plan).setKeyId(key).setStartDate(today).setEndDate(today).build()).getItemsMap().get(key).getDays(0).getUsed();
            // A snapshot from between the two moments: everything acknowledged before the backup began, nothing after it ended.
            assertThat(used).isBetween(acknowledgedBefore, acknowledgedAfter);
            assertThat(server.asAdmin(UsagePlanServiceGrpc.newBlockingStub(server.channel())).getApiKey(GetApiKeyRequest.newBuilder()
                    .setKeyId(key).setIncludeValue(true).build()).getApiKey().getValue()).isEqualTo(keyValue);
        }
    }

    @Test
    void aBackupNeverOverwrites_andWithoutASqliteStoreSaysWhatToUse() throws Exception {
        Path existing = Files.writeString(dir.resolve("taken.db"), "x");
        StringWriter err = new StringWriter();
        CommandLine backup = TallyServerMain.commandLine();
        backup.setErr(new PrintWriter(err));

        assertThat(backup.execute("backup", "--data-dir", dir.resolve("nothing").toString(), "--to", dir.resolve("b.db").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("there is no SQLite store at").contains("pg_dump");
        try (TestServer server = TestServer.start(dir.resolve("data"))) {
            assertThat(backup.execute("backup", "--data-dir", server.dataDir().toString(), "--to", existing.toString())).isEqualTo(2);
        }
        assertThat(err.toString()).contains("exists already");
        assertThat(Files.readString(existing)).isEqualTo("x");
    }
}
