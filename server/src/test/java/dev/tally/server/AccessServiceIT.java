package dev.tally.server;

import static dev.tally.server.testing.RpcAssertions.assertRpcError;
import static dev.tally.server.testing.TestServer.withToken;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import dev.tally.proto.v1.AccessServiceGrpc;
import dev.tally.proto.v1.AccessServiceGrpc.AccessServiceBlockingStub;
import dev.tally.proto.v1.CreateDeveloperKeyRequest;
import dev.tally.proto.v1.CreateIdentityPoolRequest;
import dev.tally.proto.v1.CreateIdentityRequest;
import dev.tally.proto.v1.DeveloperKey;
import dev.tally.proto.v1.IssueIdentityTokenRequest;
import dev.tally.proto.v1.IssueIdentityTokenResponse;
import dev.tally.proto.v1.ListDeveloperKeysRequest;
import dev.tally.proto.v1.ListDeveloperKeysResponse;
import dev.tally.proto.v1.ListIdentityPoolsRequest;
import dev.tally.proto.v1.ListIdentityPoolsResponse;
import dev.tally.proto.v1.DescribeIdentityUsageRequest;
import dev.tally.proto.v1.RevokeDeveloperKeyRequest;
import dev.tally.proto.v1.RevokeIdentityTokensRequest;
import dev.tally.proto.v1.UsageServiceGrpc;
import dev.tally.proto.v1.SyncServiceGrpc;
import dev.tally.proto.v1.SyncServiceGrpc.SyncServiceBlockingStub;
import dev.tally.server.testing.TestServer;
import io.grpc.Status;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** AccessService and identity pools end to end, on the embedded SQLite and on PostgreSQL. */
@ParameterizedClass(name = "on {0}")
@ValueSource(strings = {"sqlite", "postgres"})
class AccessServiceIT {

    @Parameter
    String store;

    @TempDir
    Path dataDir;
    private TestServer server;
    private AccessServiceBlockingStub access;
    private SyncServiceBlockingStub sync;

    @BeforeEach
    void start() throws Exception {
        TestServer.Builder builder = TestServer.builder(dataDir);
        server = (store.equals("postgres") ? builder.onPostgres() : builder).start();
        access = server.asAdmin(AccessServiceGrpc.newBlockingStub(server.channel()));
        sync = server.asAdmin(SyncServiceGrpc.newBlockingStub(server.channel()));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void createdDeveloperKey_worksAsAToken_andListingsNeverShowTokens() {
        var created = access.createDeveloperKey(CreateDeveloperKeyRequest.newBuilder().setName("deploy bot").build());

        assertThat(created.getToken()).startsWith("tally_dev_");
        assertThat(created.getKeyId()).matches("[a-z0-9]{16}");
        ListDeveloperKeysResponse listed = withToken(AccessServiceGrpc.newBlockingStub(server.channel()), created.getToken())
                .listDeveloperKeys(ListDeveloperKeysRequest.getDefaultInstance());
        assertThat(listed.getDeveloperKeysList()).extracting(DeveloperKey::getName).contains("deploy bot", "bootstrap admin");
        assertThat(listed.toString()).doesNotContain(created.getToken()).doesNotContain(server.adminToken());
    }

    @Test
    void createDeveloperKey_rejectsBadNames_andChangesNothing() {
        assertRpcError(() -> access.createDeveloperKey(CreateDeveloperKeyRequest.getDefaultInstance()),
                Status.Code.INVALID_ARGUMENT, "InvalidParameterException");
        var failure = assertRpcError(() -> access.createDeveloperKey(CreateDeveloperKeyRequest.newBuilder()
                .setName("x".repeat(129)).build()), Status.Code.INVALID_ARGUMENT, "InvalidParameterException");

        assertThat(failure.getStatus().getDescription()).contains("name");
        assertThat(access.listDeveloperKeys(ListDeveloperKeysRequest.getDefaultInstance()).getDeveloperKeysCount()).isEqualTo(1);
    }

    @Test
    void revoke_refusesTheLastActiveKey_andUnknownKeysAreNotFound() {
        String bootstrap = access.listDeveloperKeys(ListDeveloperKeysRequest.getDefaultInstance()).getDeveloperKeys(0).getKeyId();

        var last = assertRpcError(() -> access.revokeDeveloperKey(RevokeDeveloperKeyRequest.newBuilder().setKeyId(bootstrap).build()),
                Status.Code.FAILED_PRECONDITION, "FailedPreconditionException");
        assertThat(last.getStatus().getDescription()).contains(bootstrap);
        assertRpcError(() -> access.revokeDeveloperKey(RevokeDeveloperKeyRequest.newBuilder().setKeyId("0000000000000000").build()),
                Status.Code.NOT_FOUND, "ResourceNotFoundException");
        assertRpcError(() -> access.revokeDeveloperKey(RevokeDeveloperKeyRequest.newBuilder().setKeyId("BAD").build()),
                Status.Code.INVALID_ARGUMENT, "InvalidParameterException");

        var other = access.createDeveloperKey(CreateDeveloperKeyRequest.newBuilder().setName("second").build());
        DeveloperKey revoked = access.revokeDeveloperKey(RevokeDeveloperKeyRequest.newBuilder().setKeyId(bootstrap).build())
                .getDeveloperKey();
        assertThat(revoked.hasRevokeDate()).isTrue();
        assertRpcError(() -> withToken(AccessServiceGrpc.newBlockingStub(server.channel()), other.getToken())
                .revokeDeveloperKey(RevokeDeveloperKeyRequest.newBuilder().setKeyId(other.getKeyId()).build()),
                Status.Code.FAILED_PRECONDITION, "FailedPreconditionException");
    }

    @Test
    void listings_pageThroughEverythingOnce_andRejectBadSizesAndTamperedTokens() {
        for (int i = 0; i < 6; i++) {
            sync.createIdentityPool(CreateIdentityPoolRequest.newBuilder().setIdentityPoolName("pool " + i).build());
        }
        List<String> seen = new ArrayList<>();
        String token = "";
        do {
            ListIdentityPoolsResponse page = sync.listIdentityPools(ListIdentityPoolsRequest.newBuilder()
                    .setPageSize(4).setPageToken(token).build());
            page.getIdentityPoolsList().forEach(p -> seen.add(p.getIdentityPoolId()));
            token = page.getNextPageToken();
        } while (!token.isEmpty());

        assertThat(seen).hasSize(6).doesNotHaveDuplicates().isSorted();
        String next = sync.listIdentityPools(ListIdentityPoolsRequest.newBuilder().setPageSize(4).build()).getNextPageToken();
        assertRpcError(() -> sync.listIdentityPools(ListIdentityPoolsRequest.newBuilder().setPageToken(next + "x").build()),
                Status.Code.INVALID_ARGUMENT, "InvalidParameterException");
        assertRpcError(() -> access.listDeveloperKeys(ListDeveloperKeysRequest.newBuilder().setPageToken(next).build()),
                Status.Code.INVALID_ARGUMENT, "InvalidParameterException");
        assertRpcError(() -> sync.listIdentityPools(ListIdentityPoolsRequest.newBuilder().setPageSize(501).build()),
                Status.Code.INVALID_ARGUMENT, "InvalidParameterException");
        assertRpcError(() -> sync.listIdentityPools(ListIdentityPoolsRequest.newBuilder().setPageSize(-1).build()),
                Status.Code.INVALID_ARGUMENT, "InvalidParameterException");
        assertThat(sync.listIdentityPools(ListIdentityPoolsRequest.newBuilder().setPageSize(500).build())
                .getIdentityPoolsCount()).isEqualTo(6);
    }

    @Test
    void issueIdentityToken_checksTtlAndIdentity() {
        String pool = sync.createIdentityPool(CreateIdentityPoolRequest.newBuilder().setIdentityPoolName("app").build())
                .getIdentityPool().getIdentityPoolId();
        String identity = sync.createIdentity(CreateIdentityRequest.newBuilder().setIdentityPoolId(pool).build()).getIdentityId();
        IssueIdentityTokenRequest valid = IssueIdentityTokenRequest.newBuilder().setIdentityPoolId(pool).setIdentityId(identity).build();

        IssueIdentityTokenResponse issued = access.issueIdentityToken(valid);
        long lifetime = issued.getExpiration().getSeconds() - System.currentTimeMillis() / 1000;
        assertThat(lifetime).isBetween(3590L, 3600L);
        assertThat(access.issueIdentityToken(valid.toBuilder().setTtl(Duration.newBuilder().setSeconds(86_400)).build())
                .getToken()).startsWith("tally_idt_");
        assertRpcError(() -> access.issueIdentityToken(valid.toBuilder().setTtl(Duration.newBuilder().setSeconds(86_401)).build()),
                Status.Code.INVALID_ARGUMENT, "InvalidParameterException");
        assertRpcError(() -> access.issueIdentityToken(valid.toBuilder().setTtl(Duration.newBuilder().setSeconds(59)).build()),
                Status.Code.INVALID_ARGUMENT, "InvalidParameterException");
        // A Duration protobuf cannot express is refused before anything converts it (it once overflowed into INTERNAL).
        assertRpcError(() -> access.issueIdentityToken(valid.toBuilder().setTtl(Duration.newBuilder().setSeconds(Long.MIN_VALUE)
                .setNanos(-976_752_476)).build()), Status.Code.INVALID_ARGUMENT, "InvalidParameterException");
        assertRpcError(() -> access.issueIdentityToken(valid.toBuilder().setIdentityId("us-east-1:0000").build()),
                Status.Code.NOT_FOUND, "ResourceNotFoundException");
        assertRpcError(() -> access.issueIdentityToken(valid.toBuilder().setIdentityPoolId("nope").build()),
                Status.Code.INVALID_ARGUMENT, "InvalidParameterException");
        assertRpcError(() -> sync.createIdentity(CreateIdentityRequest.newBuilder().setIdentityPoolId("us-east-1:0000").build()),
                Status.Code.NOT_FOUND, "ResourceNotFoundException");
    }

    @Test
    void revokeIdentityTokens_endsEveryTokenOfTheIdentity_andRevokingTheIssuer_endsItsTokens() {
        String pool = sync.createIdentityPool(CreateIdentityPoolRequest.newBuilder().setIdentityPoolName("app").build())
                .getIdentityPool().getIdentityPoolId();
        String alice = sync.createIdentity(CreateIdentityRequest.newBuilder().setIdentityPoolId(pool).build()).getIdentityId();
        String bob = sync.createIdentity(CreateIdentityRequest.newBuilder().setIdentityPoolId(pool).build()).getIdentityId();
        IssueIdentityTokenRequest forAlice = IssueIdentityTokenRequest.newBuilder().setIdentityPoolId(pool).setIdentityId(alice).build();
        String first = access.issueIdentityToken(forAlice).getToken();
        String second = access.issueIdentityToken(forAlice).getToken();
        String bobs = access.issueIdentityToken(forAlice.toBuilder().setIdentityId(bob).build()).getToken();
        assertThat(usable(first, pool, alice)).isTrue();

        RevokeIdentityTokensRequest revokeAlice = RevokeIdentityTokensRequest.newBuilder().setIdentityPoolId(pool).setIdentityId(alice).build();
        assertThat(access.revokeIdentityTokens(revokeAlice).getRevokedCount()).isEqualTo(2);
        assertThat(usable(first, pool, alice)).isFalse();
        assertThat(usable(second, pool, alice)).isFalse();
        assertThat(usable(bobs, pool, bob)).isTrue();
        assertThat(access.revokeIdentityTokens(revokeAlice).getRevokedCount()).isZero();
        assertRpcError(() -> access.revokeIdentityTokens(revokeAlice.toBuilder().setIdentityId("us-east-1:00000000-0000-0000-0000-000000000000")
                .build()), Status.Code.NOT_FOUND, "ResourceNotFoundException");
        assertRpcError(() -> withToken(AccessServiceGrpc.newBlockingStub(server.channel()), bobs).revokeIdentityTokens(revokeAlice),
                Status.Code.PERMISSION_DENIED, "AccessDeniedException");

        // A token dies with the developer key that issued it, even while it is trusted from a cache.
        var issuer = access.createDeveloperKey(CreateDeveloperKeyRequest.newBuilder().setName("issuer").build());
        String issued = withToken(AccessServiceGrpc.newBlockingStub(server.channel()), issuer.getToken()).issueIdentityToken(forAlice).getToken();
        assertThat(usable(issued, pool, alice)).isTrue();
        access.revokeDeveloperKey(RevokeDeveloperKeyRequest.newBuilder().setKeyId(issuer.getKeyId()).build());
        assertThat(usable(issued, pool, alice)).isFalse();
        assertThat(usable(bobs, pool, bob)).isTrue();
    }

    /** Whether {@code token} is accepted: an identity token reading its own usage. */
    private boolean usable(String token, String pool, String identity) {
        try {
            withToken(UsageServiceGrpc.newBlockingStub(server.channel()), token).describeIdentityUsage(DescribeIdentityUsageRequest.newBuilder()
                    .setIdentityPoolId(pool).setIdentityId(identity).build());
            return true;
        } catch (io.grpc.StatusRuntimeException e) {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            return false;
        }
    }
}
