package dev.tally.server;

import static dev.tally.server.testing.RpcAssertions.assertRpcError;
import static dev.tally.server.testing.TestServer.withToken;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import dev.tally.proto.v1.AccessServiceGrpc;
import dev.tally.proto.v1.CreateIdentityPoolRequest;
import dev.tally.proto.v1.CreateIdentityRequest;
import dev.tally.proto.v1.DeleteDatasetRequest;
import dev.tally.proto.v1.DescribeIdentityPoolUsageRequest;
import dev.tally.proto.v1.DescribeIdentityUsageRequest;
import dev.tally.proto.v1.IdentityPoolUsage;
import dev.tally.proto.v1.IdentityUsage;
import dev.tally.proto.v1.IssueIdentityTokenRequest;
import dev.tally.proto.v1.ListDatasetsRequest;
import dev.tally.proto.v1.ListRecordsRequest;
import dev.tally.proto.v1.ListRecordsResponse;
import dev.tally.proto.v1.Operation;
import dev.tally.proto.v1.Record;
import dev.tally.proto.v1.RecordPatch;
import dev.tally.proto.v1.SyncServiceGrpc;
import dev.tally.proto.v1.SyncServiceGrpc.SyncServiceBlockingStub;
import dev.tally.proto.v1.UpdateRecordsRequest;
import dev.tally.proto.v1.UsageServiceGrpc;
import dev.tally.proto.v1.UsageServiceGrpc.UsageServiceBlockingStub;
import dev.tally.server.testing.TestServer;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Identity sync storage through a real channel, checked against the usage reads after every step. */
class IdentitySyncIT {

    @TempDir
    Path dataDir;
    private TestServer server;
    private SyncServiceBlockingStub sync;
    private UsageServiceBlockingStub usage;
    private String pool;
    private String alice;
    private String bob;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dataDir);
        sync = server.asAdmin(SyncServiceGrpc.newBlockingStub(server.channel()));
        usage = server.asAdmin(UsageServiceGrpc.newBlockingStub(server.channel()));
        pool = sync.createIdentityPool(CreateIdentityPoolRequest.newBuilder().setIdentityPoolName("mobile").build())
                .getIdentityPool().getIdentityPoolId();
        alice = sync.createIdentity(CreateIdentityRequest.newBuilder().setIdentityPoolId(pool).build()).getIdentityId();
        bob = sync.createIdentity(CreateIdentityRequest.newBuilder().setIdentityPoolId(pool).build()).getIdentityId();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void fullScenario_keepsEveryUsageFigureRight_afterEveryStep() {
        IdentityPoolUsage fresh = poolUsage();
        assertThat(fresh.hasSyncSessionsCount()).isFalse();
        assertThat(fresh.getDataStorage()).isZero();
        IdentityUsage aliceFresh = identityUsage(alice);
        assertThat(aliceFresh.getDatasetCount()).isZero();
        assertThat(aliceFresh.getDataStorage()).isZero();
        assertThat(aliceFresh.getIdentityPoolId()).isEqualTo(pool);

        ListRecordsResponse session = listRecords(sync, alice, "settings", "");
        assertThat(session.getDatasetExists()).isFalse();
        assertThat(session.getCount()).isZero();
        assertThat(poolUsage().getSyncSessionsCount()).isEqualTo(1);

        List<Record> written = update(sync, alice, "settings", session.getSyncSessionToken(),
                replace("theme", "dark", 0), replace("langue", "français", 0));
        assertThat(written).extracting(Record::getSyncCount).containsOnly(1L);
        long aliceBytes = bytes("theme", "dark") + bytes("langue", "français");
        assertThat(identityUsage(alice).getDatasetCount()).isEqualTo(1);
        assertThat(identityUsage(alice).getDataStorage()).isEqualTo(aliceBytes);
        assertThat(seconds(identityUsage(alice).getLastModifiedDate())).isGreaterThanOrEqualTo(seconds(aliceFresh.getLastModifiedDate()));
        assertThat(poolUsage().getDataStorage()).isEqualTo(aliceBytes);

        ListRecordsResponse continued = listRecords(sync, alice, "settings", session.getSyncSessionToken());
        assertThat(continued.getRecordsList()).extracting(Record::getKey).containsExactlyInAnyOrder("theme", "langue");
        assertThat(continued.getDatasetSyncCount()).isEqualTo(1);
        assertThat(poolUsage().getSyncSessionsCount()).isEqualTo(1);

        String bobSession = listRecords(sync, bob, "games", "").getSyncSessionToken();
        update(sync, bob, "games", bobSession, replace("score", "😀 9000", 0));
        long bobBytes = bytes("score", "😀 9000");
        assertThat(identityUsage(bob).getDataStorage()).isEqualTo(bobBytes);
        assertThat(poolUsage().getDataStorage()).isEqualTo(aliceBytes + bobBytes);
        assertThat(poolUsage().getSyncSessionsCount()).isEqualTo(2);

        update(sync, alice, "settings", session.getSyncSessionToken(), remove("theme", 1));
        aliceBytes -= bytes("theme", "dark");
        assertThat(identityUsage(alice).getDataStorage()).isEqualTo(aliceBytes);
        assertThat(poolUsage().getDataStorage()).isEqualTo(aliceBytes + bobBytes);

        var datasets = sync.listDatasets(ListDatasetsRequest.newBuilder().setIdentityPoolId(pool).setIdentityId(alice).build());
        assertThat(datasets.getDatasetsList()).singleElement().satisfies(d -> {
            assertThat(d.getDatasetName()).isEqualTo("settings");
            assertThat(d.getNumRecords()).isEqualTo(1);
            assertThat(d.getDataStorage()).isEqualTo(bytes("langue", "français"));
        });

        var deleted = sync.deleteDataset(DeleteDatasetRequest.newBuilder().setIdentityPoolId(pool).setIdentityId(alice)
                .setDatasetName("settings").build());
        assertThat(deleted.getDataset().getNumRecords()).isEqualTo(1);
        assertThat(identityUsage(alice).getDatasetCount()).isZero();
        assertThat(identityUsage(alice).getDataStorage()).isZero();
        assertThat(poolUsage().getDataStorage()).isEqualTo(bobBytes);
        assertThat(listRecords(sync, alice, "settings", "").getDatasetExists()).isFalse();
    }

    @Test
    void poolNames_followCognitoIdentitysModel() {
        for (String name : List.of("my-app", "a b+c=d,e.f@g_h-i", "x".repeat(128))) {
            assertThat(sync.createIdentityPool(CreateIdentityPoolRequest.newBuilder().setIdentityPoolName(name).build())
                    .getIdentityPool().getIdentityPoolName()).isEqualTo(name);
        }
        for (String name : List.of("", "slash/name", "semi;colon", "x".repeat(129))) {
            assertRpcError(() -> sync.createIdentityPool(CreateIdentityPoolRequest.newBuilder().setIdentityPoolName(name).build()),
                    Status.Code.INVALID_ARGUMENT, "InvalidParameterException");
        }
    }

    @Test
    void everyErrorOfTheContract_hasItsStatusAndReason_andWritesNothing() {
        assertRpcError(() -> usage.describeIdentityUsage(DescribeIdentityUsageRequest.newBuilder()
                .setIdentityPoolId(pool).setIdentityId("BAD").build()), Status.Code.INVALID_ARGUMENT, "InvalidParameterException");
        assertRpcError(() -> usage.describeIdentityUsage(DescribeIdentityUsageRequest.newBuilder()
                .setIdentityPoolId("us-east-1:0000").setIdentityId(alice).build()), Status.Code.NOT_FOUND, "ResourceNotFoundException");
        assertRpcError(() -> usage.describeIdentityUsage(DescribeIdentityUsageRequest.newBuilder()
                .setIdentityPoolId(pool).setIdentityId("us-east-1:0000").build()), Status.Code.NOT_FOUND, "ResourceNotFoundException");
        assertRpcError(() -> usage.describeIdentityPoolUsage(DescribeIdentityPoolUsageRequest.newBuilder()
                .setIdentityPoolId("us-east-1:0000").build()), Status.Code.NOT_FOUND, "ResourceNotFoundException");
        assertRpcError(() -> usage.describeIdentityPoolUsage(DescribeIdentityPoolUsageRequest.getDefaultInstance()),
                Status.Code.INVALID_ARGUMENT, "InvalidParameterException");

        String session = listRecords(sync, alice, "settings", "").getSyncSessionToken();
        update(sync, alice, "settings", session, replace("k", "v", 0));
        assertRpcError(() -> update(sync, alice, "settings", session, replace("k", "stale", 0)),
                Status.Code.ABORTED, "ResourceConflictException");
        assertRpcError(() -> update(sync, alice, "settings", "", replace("k", "v", 1)),
                Status.Code.INVALID_ARGUMENT, "InvalidParameterException");
        String bobSession = listRecords(sync, bob, "settings", "").getSyncSessionToken();
        assertRpcError(() -> update(sync, alice, "settings", bobSession, replace("k", "v", 1)),
                Status.Code.INVALID_ARGUMENT, "InvalidParameterException");
        assertRpcError(() -> update(sync, alice, "settings", session, RecordPatch.newBuilder().setKey("k").setValue("v").setSyncCount(1).build()),
                Status.Code.INVALID_ARGUMENT, "InvalidParameterException");
        assertRpcError(() -> update(sync, alice, "bad name", session, replace("k", "v", 1)),
                Status.Code.INVALID_ARGUMENT, "InvalidParameterException");
        assertRpcError(() -> update(sync, alice, "settings", session, replace("k".repeat(1025), "v", 0)),
                Status.Code.INVALID_ARGUMENT, "InvalidParameterException");
        assertRpcError(() -> update(sync, alice, "settings", session, replace("k", "v", 1), replace("big", "v".repeat(1_048_575), 0)),
                Status.Code.RESOURCE_EXHAUSTED, "LimitExceededException");
        RecordPatch[] tooMany = new RecordPatch[1025];
        for (int i = 0; i < tooMany.length; i++) {
            tooMany[i] = replace("key" + i, "v", 0);
        }
        assertThat(assertRpcError(() -> update(sync, alice, "settings", session, tooMany), Status.Code.INVALID_ARGUMENT,
                "InvalidParameterException").getStatus().getDescription())
                .isEqualTo("record_patches has 1025 patches: expected at most 1024, the records a dataset may hold");
        for (int i = 1; i < 20; i++) {
            String name = "d" + i;
            update(sync, alice, name, listRecords(sync, alice, name, "").getSyncSessionToken());
        }
        String twentyFirst = listRecords(sync, alice, "d20", "").getSyncSessionToken();
        assertRpcError(() -> update(sync, alice, "d20", twentyFirst), Status.Code.RESOURCE_EXHAUSTED, "LimitExceededException");
        assertRpcError(() -> sync.deleteDataset(DeleteDatasetRequest.newBuilder().setIdentityPoolId(pool).setIdentityId(alice)
                .setDatasetName("nope").build()), Status.Code.NOT_FOUND, "ResourceNotFoundException");
        assertRpcError(() -> sync.listRecords(ListRecordsRequest.newBuilder().setIdentityPoolId(pool).setIdentityId(alice)
                .setDatasetName("settings").setMaxResults(1025).build()), Status.Code.INVALID_ARGUMENT, "InvalidParameterException");

        IdentityUsage after = identityUsage(alice);
        assertThat(after.getDatasetCount()).isEqualTo(20);
        assertThat(after.getDataStorage()).isEqualTo(bytes("k", "v"));
        assertThat(listRecords(sync, alice, "settings", session).getRecordsList()).singleElement()
                .satisfies(r -> assertThat(r.getSyncCount()).isEqualTo(1));
    }

    @Test
    void identityToken_reachesOnlyItsOwnIdentity_andLearnsNothingAboutOthers() {
        String token = server.asAdmin(AccessServiceGrpc.newBlockingStub(server.channel())).issueIdentityToken(
                IssueIdentityTokenRequest.newBuilder().setIdentityPoolId(pool).setIdentityId(alice).build()).getToken();
        SyncServiceBlockingStub aliceSync = withToken(SyncServiceGrpc.newBlockingStub(server.channel()), token);
        UsageServiceBlockingStub aliceUsage = withToken(UsageServiceGrpc.newBlockingStub(server.channel()), token);

        String session = listRecords(aliceSync, alice, "notes", "").getSyncSessionToken();
        update(aliceSync, alice, "notes", session, replace("todo", "buy milk", 0));
        assertThat(aliceUsage.describeIdentityUsage(DescribeIdentityUsageRequest.newBuilder().setIdentityPoolId(pool)
                .setIdentityId(alice).build()).getIdentityUsage().getDataStorage()).isEqualTo(bytes("todo", "buy milk"));

        var denied = assertRpcError(() -> aliceUsage.describeIdentityUsage(DescribeIdentityUsageRequest.newBuilder()
                .setIdentityPoolId(pool).setIdentityId(bob).build()), Status.Code.PERMISSION_DENIED, "NotAuthorizedException");
        assertThat(denied.getStatus().getDescription()).doesNotContain(bob);
        assertRpcError(() -> aliceUsage.describeIdentityUsage(DescribeIdentityUsageRequest.newBuilder()
                .setIdentityPoolId(pool).setIdentityId("us-east-1:0000").build()), Status.Code.PERMISSION_DENIED, "NotAuthorizedException");
        assertRpcError(() -> listRecords(aliceSync, bob, "notes", ""), Status.Code.PERMISSION_DENIED, "NotAuthorizedException");
        assertRpcError(() -> update(aliceSync, bob, "notes", session, replace("x", "y", 0)),
                Status.Code.PERMISSION_DENIED, "NotAuthorizedException");
        assertRpcError(() -> aliceSync.deleteDataset(DeleteDatasetRequest.newBuilder().setIdentityPoolId(pool).setIdentityId(bob)
                .setDatasetName("notes").build()), Status.Code.PERMISSION_DENIED, "NotAuthorizedException");
        assertRpcError(() -> aliceUsage.describeIdentityPoolUsage(DescribeIdentityPoolUsageRequest.newBuilder()
                .setIdentityPoolId(pool).build()), Status.Code.PERMISSION_DENIED, "NotAuthorizedException");
        assertRpcError(() -> aliceSync.createIdentity(CreateIdentityRequest.newBuilder().setIdentityPoolId(pool).build()),
                Status.Code.PERMISSION_DENIED, "NotAuthorizedException");
        assertThat(identityUsage(bob).getDatasetCount()).isZero();
    }

    private ListRecordsResponse listRecords(SyncServiceBlockingStub stub, String identity, String dataset, String session) {
        return stub.listRecords(ListRecordsRequest.newBuilder().setIdentityPoolId(pool).setIdentityId(identity)
                .setDatasetName(dataset).setSyncSessionToken(session).build());
    }

    private List<Record> update(SyncServiceBlockingStub stub, String identity, String dataset, String session, RecordPatch... patches) {
        return stub.updateRecords(UpdateRecordsRequest.newBuilder().setIdentityPoolId(pool).setIdentityId(identity)
                .setDatasetName(dataset).setSyncSessionToken(session).setDeviceId("phone").addAllRecordPatches(List.of(patches))
                .build()).getRecordsList();
    }

    private IdentityUsage identityUsage(String identity) {
        return usage.describeIdentityUsage(DescribeIdentityUsageRequest.newBuilder().setIdentityPoolId(pool)
                .setIdentityId(identity).build()).getIdentityUsage();
    }

    private IdentityPoolUsage poolUsage() {
        return usage.describeIdentityPoolUsage(DescribeIdentityPoolUsageRequest.newBuilder().setIdentityPoolId(pool).build())
                .getIdentityPoolUsage();
    }

    private static RecordPatch replace(String key, String value, long syncCount) {
        return RecordPatch.newBuilder().setOp(Operation.OPERATION_REPLACE).setKey(key).setValue(value).setSyncCount(syncCount).build();
    }

    private static RecordPatch remove(String key, long syncCount) {
        return RecordPatch.newBuilder().setOp(Operation.OPERATION_REMOVE).setKey(key).setSyncCount(syncCount).build();
    }

    private static long bytes(String key, String value) {
        return key.getBytes(StandardCharsets.UTF_8).length + value.getBytes(StandardCharsets.UTF_8).length;
    }

    private static long seconds(Timestamp timestamp) {
        return timestamp.getSeconds();
    }
}
