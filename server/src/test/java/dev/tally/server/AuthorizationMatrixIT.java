package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.tally.proto.v1.AccessServiceGrpc;
import dev.tally.proto.v1.AccessServiceProto;
import dev.tally.proto.v1.CreateDeveloperKeyRequest;
import dev.tally.proto.v1.CreateIdentityPoolRequest;
import dev.tally.proto.v1.CreateIdentityRequest;
import dev.tally.proto.v1.IssueIdentityTokenRequest;
import dev.tally.proto.v1.LicenseServiceProto;
import dev.tally.proto.v1.RevokeDeveloperKeyRequest;
import dev.tally.proto.v1.RevokeIdentityTokensRequest;
import dev.tally.proto.v1.SyncServiceGrpc;
import dev.tally.proto.v1.SyncServiceProto;
import dev.tally.proto.v1.UsagePlanServiceProto;
import dev.tally.proto.v1.UsageServiceProto;
import dev.tally.server.testing.TestServer;
import io.grpc.Status;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every RPC of every tally.v1 service, read from the descriptors, called with every kind of credential:
 * none, a bad one, a revoked developer key, a revoked and an expired identity token, and an identity
 * token on its own identity, another identity and another pool. Each RPC is classified as developers-only
 * or also open to an identity's own token; a new RPC nobody classified fails this test. Requests carry
 * well-formed ids: a malformed one is refused as INVALID_ARGUMENT before anyone's rights are looked at.
 */
class AuthorizationMatrixIT {

    /** Who may call an RPC. */
    private enum Access { DEVELOPER, DEVELOPER_OR_SELF }

    private static final List<FileDescriptor> CONTRACT = List.of(AccessServiceProto.getDescriptor(), SyncServiceProto.getDescriptor(),
            UsagePlanServiceProto.getDescriptor(), LicenseServiceProto.getDescriptor(), UsageServiceProto.getDescriptor());

    /** The RPCs an identity token may call on its own identity; every other RPC is for developers only. */
    private static final Map<String, Access> CLASSIFIED = classify();

    private static Map<String, Access> classify() {
        Map<String, Access> access = new java.util.HashMap<>();
        for (String rpc : List.of("tally.v1.SyncService/ListRecords", "tally.v1.SyncService/UpdateRecords", "tally.v1.SyncService/ListDatasets",
                "tally.v1.SyncService/DescribeDataset", "tally.v1.SyncService/DeleteDataset", "tally.v1.UsageService/DescribeIdentityUsage")) {
            access.put(rpc, Access.DEVELOPER_OR_SELF);
        }
        for (String rpc : List.of("CreateDeveloperKey", "ListDeveloperKeys", "RevokeDeveloperKey", "IssueIdentityToken", "RevokeIdentityTokens",
                "CreateAccessKey", "ListAccessKeys", "DeleteAccessKey")) {
            access.put("tally.v1.AccessService/" + rpc, Access.DEVELOPER);
        }
        for (String rpc : List.of("CreateIdentityPool", "DescribeIdentityPool", "ListIdentityPools", "DeleteIdentityPool", "CreateIdentity",
                "ListIdentities", "DescribeIdentity")) {
            access.put("tally.v1.SyncService/" + rpc, Access.DEVELOPER);
        }
        for (String rpc : List.of("CreateUsagePlan", "GetUsagePlan", "ListUsagePlans", "UpdateUsagePlan", "DeleteUsagePlan", "CreateApiKey",
                "GetApiKey", "ListApiKeys", "UpdateApiKey", "DeleteApiKey", "CreateUsagePlanKey", "DeleteUsagePlanKey", "GetUsagePlanKey",
                "ListUsagePlanKeys", "UpdateUsage", "ConsumeQuota", "RecordUsage")) {
            access.put("tally.v1.UsagePlanService/" + rpc, Access.DEVELOPER);
        }
        for (String rpc : List.of("CreateLicense", "GetLicense", "ListLicenses", "UpdateLicenseStatus", "DeleteLicense", "CheckoutLicense", "CheckInLicense",
                "ExtendLicenseConsumption")) {
            access.put("tally.v1.LicenseService/" + rpc, Access.DEVELOPER);
        }
        for (String rpc : List.of("DescribeIdentityPoolUsage", "ListIdentityPoolUsage", "GetUsage", "GetLicenseUsage")) {
            access.put("tally.v1.UsageService/" + rpc, Access.DEVELOPER);
        }
        return access;
    }

    @TempDir
    Path dir;

    @Test
    void everyRpc_refusesEveryCredentialItShould_andServesTheRest() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            var access = server.asAdmin(AccessServiceGrpc.newBlockingStub(server.channel()));
            var sync = server.asAdmin(SyncServiceGrpc.newBlockingStub(server.channel()));
            String pool = sync.createIdentityPool(CreateIdentityPoolRequest.newBuilder().setIdentityPoolName("own").build())
                    .getIdentityPool().getIdentityPoolId();
            String otherPool = sync.createIdentityPool(CreateIdentityPoolRequest.newBuilder().setIdentityPoolName("other").build())
                    .getIdentityPool().getIdentityPoolId();
            String self = sync.createIdentity(CreateIdentityRequest.newBuilder().setIdentityPoolId(pool).build()).getIdentityId();
            String neighbour = sync.createIdentity(CreateIdentityRequest.newBuilder().setIdentityPoolId(pool).build()).getIdentityId();
            String stranger = sync.createIdentity(CreateIdentityRequest.newBuilder().setIdentityPoolId(otherPool).build()).getIdentityId();
            IssueIdentityTokenRequest forSelf = IssueIdentityTokenRequest.newBuilder().setIdentityPoolId(pool).setIdentityId(self).build();
            // Issued first, lasting the shortest time allowed: it has expired by the end of the test.
            String expiring = access.issueIdentityToken(forSelf.toBuilder().setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(60))
                    .build()).getToken();
            long expiresAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(61);
            String identityToken = access.issueIdentityToken(forSelf).getToken();
            var revokedDeveloper = access.createDeveloperKey(CreateDeveloperKeyRequest.newBuilder().setName("revoked").build());
            access.revokeDeveloperKey(RevokeDeveloperKeyRequest.newBuilder().setKeyId(revokedDeveloper.getKeyId()).build());
            String otherIdentityToken = access.issueIdentityToken(forSelf.toBuilder().setIdentityId(neighbour).build()).getToken();
            access.revokeIdentityTokens(RevokeIdentityTokensRequest.newBuilder().setIdentityPoolId(pool).setIdentityId(neighbour).build());

            List<String> rpcs = new ArrayList<>();
            List<String> wrong = new ArrayList<>();
            for (FileDescriptor file : CONTRACT) {
                for (ServiceDescriptor service : file.getServices()) {
                    for (MethodDescriptor method : service.getMethods()) {
                        String rpc = service.getFullName() + "/" + method.getName();
                        rpcs.add(rpc);
                        Access who = CLASSIFIED.get(rpc);
                        if (who == null) {
                            wrong.add(rpc + ": not classified; add it to this test's table");
                            continue;
                        }
                        byte[] own = request(method.getInputType(), pool, self);
                        expect(wrong, rpc, call(server, rpc, own, null), Status.Code.UNAUTHENTICATED, "no token");
                        expect(wrong, rpc, call(server, rpc, own, "tally_dev_" + "0".repeat(40)), Status.Code.UNAUTHENTICATED, "an unknown token");
                        expect(wrong, rpc, call(server, rpc, own, revokedDeveloper.getToken()), Status.Code.UNAUTHENTICATED, "a revoked developer key");
                        expect(wrong, rpc, call(server, rpc, own, otherIdentityToken), Status.Code.UNAUTHENTICATED, "a revoked identity token");
                        Status.Code onOwn = call(server, rpc, own, identityToken);
                        if (who == Access.DEVELOPER) {
                            expect(wrong, rpc, onOwn, Status.Code.PERMISSION_DENIED, "an identity token");
                        } else {
                            if (onOwn == Status.Code.PERMISSION_DENIED || onOwn == Status.Code.UNAUTHENTICATED) {
                                wrong.add(rpc + " with an identity token on its own identity: " + onOwn);
                            }
                            expect(wrong, rpc, call(server, rpc, request(method.getInputType(), pool, neighbour), identityToken),
                                    Status.Code.PERMISSION_DENIED, "an identity token on another identity");
                            expect(wrong, rpc, call(server, rpc, request(method.getInputType(), otherPool, stranger), identityToken),
                                    Status.Code.PERMISSION_DENIED, "an identity token on another pool");
                        }
                    }
                }
            }
            assertThat(rpcs).hasSize(CLASSIFIED.size());

            while (System.nanoTime() < expiresAt) {
                TimeUnit.MILLISECONDS.sleep(200);
            }
            for (String rpc : rpcs) {
                MethodDescriptor method = method(rpc);
                expect(wrong, rpc, call(server, rpc, request(method.getInputType(), pool, self), expiring), Status.Code.UNAUTHENTICATED,
                        "an expired identity token");
            }
            assertThat(wrong).isEmpty();
        }
    }

    private static void expect(List<String> wrong, String rpc, Status.Code actual, Status.Code expected, String with) {
        if (actual != expected) {
            wrong.add(rpc + " with " + with + ": " + actual + ", expected " + expected);
        }
    }

    /**
     * Ids of the right form for the fields that carry them, so that a call reaches the authorization check
     * rather than stopping at input validation (which comes first for a malformed id, and tells nothing).
     */
    private static final Map<String, String> WELL_FORMED = Map.of(
            "usage_plan_id", "plan00", "dataset_name", "notes", "license_arn",
            "arn:aws:license-manager::123456789012:license:l-" + "0".repeat(32), "license_consumption_token", "0".repeat(32),
            "access_key_id", "AKIA" + "A".repeat(16), "start_date", "2026-01-01", "end_date", "2026-01-02");

    /** The request message with its pool and identity fields (wherever the descriptor has them) set, and well-formed ids. */
    private static byte[] request(Descriptor type, String pool, String identity) {
        DynamicMessage.Builder message = DynamicMessage.newBuilder(type);
        for (FieldDescriptor field : type.getFields()) {
            String name = field.getName();
            if (name.equals("identity_pool_id")) {
                message.setField(field, pool);
            } else if (name.equals("identity_id")) {
                message.setField(field, identity);
            } else if (name.equals("key_id")) {
                // A developer key's id has 16 characters, an API key's 10.
                message.setField(field, type.getName().contains("DeveloperKey") ? "0".repeat(16) : "0".repeat(10));
            } else if (WELL_FORMED.containsKey(name)) {
                message.setField(field, WELL_FORMED.get(name));
            } else if (field.getType() == FieldDescriptor.Type.ENUM && !field.isRepeated() && field.getEnumType().getValues().size() > 1) {
                message.setField(field, field.getEnumType().getValues().get(1)); // the first defined value after UNSPECIFIED
            } else if (field.getType() == FieldDescriptor.Type.MESSAGE && !field.isRepeated()
                    && field.getMessageType().getFullName().equals("google.protobuf.Timestamp")) {
                message.setField(field, com.google.protobuf.Timestamp.newBuilder().setSeconds(System.currentTimeMillis() / 1000).build());
            }
        }
        return message.build().toByteArray();
    }

    private static MethodDescriptor method(String rpc) {
        for (FileDescriptor file : CONTRACT) {
            for (ServiceDescriptor service : file.getServices()) {
                for (MethodDescriptor method : service.getMethods()) {
                    if (rpc.equals(service.getFullName() + "/" + method.getName())) {
                        return method;
                    }
                }
            }
        }
        throw new IllegalArgumentException(rpc);
    }

    /** Calls {@code rpc} with raw request bytes and {@code token} (none when null); returns the status code. */
    private static Status.Code call(TestServer server, String rpc, byte[] body, String token) {
        return dev.tally.server.testing.RawCalls.call(server.channel(), rpc, body, token).getCode();
    }
}
