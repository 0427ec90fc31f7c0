package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.proto.v1.CreateIdentityPoolRequest;
import dev.tally.proto.v1.CreateIdentityRequest;
import dev.tally.proto.v1.DescribeIdentityPoolUsageRequest;
import dev.tally.proto.v1.ListRecordsRequest;
import dev.tally.proto.v1.Operation;
import dev.tally.proto.v1.RecordPatch;
import dev.tally.proto.v1.SyncServiceGrpc;
import dev.tally.proto.v1.UpdateRecordsRequest;
import dev.tally.proto.v1.UsageServiceGrpc;
import dev.tally.server.testing.TestServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite store's disk fills up (a small tmpfs the test mounts; CI runs as root): writes fail with
 * UNAVAILABLE and change nothing, reads go on, nothing acknowledged is lost, the database stays intact,
 * and writes succeed again once there is room.
 */
class FullDiskIT {

    private static final String BIG = "v".repeat(900_000);

    @TempDir
    Path dir;

    @Test
    void writesFailCleanlyOnAFullDisk_readsGoOn_andWritesResumeWhenThereIsRoom() throws Exception {
        Path disk = dir.resolve("disk");
        Files.createDirectories(disk);
        mount(disk);
        try {
            Path data = disk.resolve("data");
            List<String> acknowledged = new ArrayList<>();
            Status refusal = null;
            try (TestServer server = TestServer.start(data)) {
                var sync = server.asAdmin(SyncServiceGrpc.newBlockingStub(server.channel()));
                String pool = sync.createIdentityPool(CreateIdentityPoolRequest.newBuilder().setIdentityPoolName("full").build())
                        .getIdentityPool().getIdentityPoolId();
                Path filler = disk.resolve("filler");
                fill(filler, 4L * 1024 * 1024); // leaves the store a little room, which its writes then use up
                String identity = null;
                for (int write = 0; write < 200 && refusal == null; write++) {
                    if (write % 20 == 0) {
                        identity = sync.createIdentity(CreateIdentityRequest.newBuilder().setIdentityPoolId(pool).build()).getIdentityId();
                    }
                    String dataset = "d" + (write % 20);
                    try {
                        put(sync, pool, identity, dataset, BIG);
                        acknowledged.add(identity + "/" + dataset);
                    } catch (StatusRuntimeException full) {
                        refusal = full.getStatus();
                    }
                }
                assertThat(refusal).as("a write was refused once the disk was full").isNotNull();
                assertThat(refusal.getCode()).as(String.valueOf(refusal)).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(refusal.getDescription()).startsWith("the store is unavailable");

                // Reads go on while the disk is full, and show exactly what was acknowledged.
                var usage = server.asAdmin(UsageServiceGrpc.newBlockingStub(server.channel()));
                assertThat(usage.describeIdentityPoolUsage(DescribeIdentityPoolUsageRequest.newBuilder().setIdentityPoolId(pool).build())
                        .getIdentityPoolUsage().getDataStorage()).isEqualTo(acknowledged.size() * ("k".length() + (long) BIG.length()));

                Files.delete(filler);
                String lastIdentity = identity;
                // Room again: the same write now succeeds (the store may need a moment to checkpoint).
                boolean resumed = false;
                for (int attempt = 0; attempt < 50 && !resumed; attempt++) {
                    try {
                        put(sync, pool, lastIdentity, "after", "small");
                        resumed = true;
                    } catch (StatusRuntimeException notYet) {
                        assertThat(notYet.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                        TimeUnit.MILLISECONDS.sleep(100);
                    }
                }
                assertThat(resumed).as("writes resume once there is room").isTrue();
                for (String written : acknowledged) {
                    String[] at = written.split("/");
                    assertThat(sync.listRecords(ListRecordsRequest.newBuilder().setIdentityPoolId(pool).setIdentityId(at[0])
                            .setDatasetName(at[1]).build()).getRecordsList()).singleElement()
                            .satisfies(record -> assertThat(record.getValue()).hasSize(BIG.length()));
                }
            }
            try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("tally.db"));
                 ResultSet check = connection.createStatement().executeQuery("PRAGMA integrity_check")) {
                assertThat(check.next()).isTrue();
                assertThat(check.getString(1)).isEqualTo("ok");
            }
        } finally {
            run("umount", disk.toString());
        }
    }

    private static void put(SyncServiceGrpc.SyncServiceBlockingStub sync, String pool, String identity, String dataset, String value) {
        String session = sync.listRecords(ListRecordsRequest.newBuilder().setIdentityPoolId(pool).setIdentityId(identity)
                .setDatasetName(dataset).build()).getSyncSessionToken();
        sync.updateRecords(UpdateRecordsRequest.newBuilder().setIdentityPoolId(pool).setIdentityId(identity).setDatasetName(dataset)
                .setSyncSessionToken(session).addRecordPatches(RecordPatch.newBuilder().setOp(Operation.OPERATION_REPLACE)
                        .setKey("k").setValue(value)).build());
    }

    /** Fills the file system but for {@code spare} bytes. */
    private static void fill(Path filler, long spare) throws IOException {
        long free = Files.getFileStore(filler.getParent()).getUsableSpace();
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            for (long written = 0; written + block.length <= free - spare; written += block.length) {
                out.write(block);
            }
        }
    }

    private static void mount(Path disk) throws Exception {
        // 48 MiB: the empty store and its first writes fit; a few dozen 900 KB records do not.
        run("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", disk.toString());
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + output + " (this test needs root, as CI has)").isZero();
    }
}
