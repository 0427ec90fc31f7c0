package dev.tally.server;

import static dev.tally.server.testing.RpcAssertions.assertRpcError;
import static dev.tally.server.testing.TestServer.withToken;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.proto.v1.AccessServiceGrpc;
import dev.tally.proto.v1.AccessServiceGrpc.AccessServiceBlockingStub;
import dev.tally.proto.v1.CreateDeveloperKeyRequest;
import dev.tally.proto.v1.CreateIdentityPoolRequest;
import dev.tally.proto.v1.CreateIdentityRequest;
import dev.tally.proto.v1.IssueIdentityTokenRequest;
import dev.tally.proto.v1.ListDeveloperKeysRequest;
import dev.tally.proto.v1.ListIdentityPoolsRequest;
import dev.tally.proto.v1.RevokeDeveloperKeyRequest;
import dev.tally.proto.v1.SyncServiceGrpc;
import dev.tally.proto.v1.SyncServiceGrpc.SyncServiceBlockingStub;
import dev.tally.server.testing.TestServer;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may call: UNAUTHENTICATED for bad credentials, PERMISSION_DENIED for good ones that may not. */
class AuthenticationIT {

    private static final ListDeveloperKeysRequest LIST = ListDeveloperKeysRequest.getDefaultInstance();

    @TempDir
    Path dataDir;
    private TestServer server;
    private AccessServiceBlockingStub anonymous;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dataDir);
        anonymous = AccessServiceGrpc.newBlockingStub(server.channel());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void missingToken_isUnauthenticated() {
        assertRpcError(() -> anonymous.listDeveloperKeys(LIST), Status.Code.UNAUTHENTICATED, "UnauthorizedException");
    }

    @Test
    void malformedAuthorization_isUnauthenticated() {
        for (String header : new String[] {"Basic dXNlcjpwYXNz", "Bearer", "Bearer short", "Bearer has spaces inside the token value"}) {
            Metadata metadata = new Metadata();
            metadata.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), header);
            AccessServiceBlockingStub stub = anonymous.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata));

            assertRpcError(() -> stub.listDeveloperKeys(LIST), Status.Code.UNAUTHENTICATED, "UnauthorizedException");
        }
    }

    @Test
    void twoAuthorizationHeaders_areRefused_evenWhenOneIsGood() {
        Metadata metadata = new Metadata();
        Metadata.Key<String> authorization = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
        metadata.put(authorization, "Bearer tally_dev_" + "A".repeat(43));
        metadata.put(authorization, "Bearer " + server.adminToken());
        AccessServiceBlockingStub stub = anonymous.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata));

        assertThat(assertRpcError(() -> stub.listDeveloperKeys(LIST), Status.Code.UNAUTHENTICATED, "UnauthorizedException")
                .getStatus().getDescription()).contains("more than one authorization header");
    }

    @Test
    void unknownToken_isUnauthenticated() {
        AccessServiceBlockingStub stranger = withToken(anonymous, "tally_dev_" + "A".repeat(43));

        assertRpcError(() -> stranger.listDeveloperKeys(LIST), Status.Code.UNAUTHENTICATED, "UnauthorizedException");
    }

    @Test
    void revokedToken_isUnauthenticated_fromTheNextCallOn() {
        AccessServiceBlockingStub admin = server.asAdmin(anonymous);
        var created = admin.createDeveloperKey(CreateDeveloperKeyRequest.newBuilder().setName("ci").build());
        AccessServiceBlockingStub ci = withToken(anonymous, created.getToken());
        assertThat(ci.listDeveloperKeys(LIST).getDeveloperKeysCount()).isEqualTo(2);

        admin.revokeDeveloperKey(RevokeDeveloperKeyRequest.newBuilder().setKeyId(created.getKeyId()).build());

        var failure = assertRpcError(() -> ci.listDeveloperKeys(LIST), Status.Code.UNAUTHENTICATED, "UnauthorizedException");
        assertThat(failure.getStatus().getDescription()).contains("revoked");
    }

    @Test
    void identityToken_isDeniedOnDeveloperRpcs_withEachFamilysReason() {
        SyncServiceBlockingStub adminSync = server.asAdmin(SyncServiceGrpc.newBlockingStub(server.channel()));
        String pool = adminSync.createIdentityPool(CreateIdentityPoolRequest.newBuilder().setIdentityPoolName("app").build())
                .getIdentityPool().getIdentityPoolId();
        String identity = adminSync.createIdentity(CreateIdentityRequest.newBuilder().setIdentityPoolId(pool).build()).getIdentityId();
        String token = server.asAdmin(anonymous).issueIdentityToken(IssueIdentityTokenRequest.newBuilder()
                .setIdentityPoolId(pool).setIdentityId(identity).build()).getToken();

        assertRpcError(() -> withToken(anonymous, token).listDeveloperKeys(LIST), Status.Code.PERMISSION_DENIED,
                "AccessDeniedException");
        assertRpcError(() -> withToken(anonymous, token).createDeveloperKey(CreateDeveloperKeyRequest.newBuilder()
                .setName("escalate").build()), Status.Code.PERMISSION_DENIED, "AccessDeniedException");
        SyncServiceBlockingStub identitySync = withToken(SyncServiceGrpc.newBlockingStub(server.channel()), token);
        assertRpcError(() -> identitySync.listIdentityPools(ListIdentityPoolsRequest.getDefaultInstance()),
                Status.Code.PERMISSION_DENIED, "NotAuthorizedException");
        assertThat(server.asAdmin(anonymous).listDeveloperKeys(LIST).getDeveloperKeysCount()).isEqualTo(1);
    }
}
