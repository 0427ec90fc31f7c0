package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.proto.v1.AccessServiceGrpc;
import dev.tally.proto.v1.CheckInLicenseRequest;
import dev.tally.proto.v1.CheckoutLicenseRequest;
import dev.tally.proto.v1.CheckoutType;
import dev.tally.proto.v1.ConsumeQuotaRequest;
import dev.tally.proto.v1.CreateAccessKeyRequest;
import dev.tally.proto.v1.CreateApiKeyRequest;
import dev.tally.proto.v1.CreateDeveloperKeyRequest;
import dev.tally.proto.v1.CreateIdentityPoolRequest;
import dev.tally.proto.v1.CreateIdentityRequest;
import dev.tally.proto.v1.CreateUsagePlanKeyRequest;
import dev.tally.proto.v1.CreateUsagePlanRequest;
import dev.tally.proto.v1.DeleteAccessKeyRequest;
import dev.tally.proto.v1.DescribeIdentityUsageRequest;
import dev.tally.proto.v1.EntitlementData;
import dev.tally.proto.v1.EntitlementUnit;
import dev.tally.proto.v1.IssueIdentityTokenRequest;
import dev.tally.proto.v1.LicenseServiceGrpc;
import dev.tally.proto.v1.ListDeveloperKeysRequest;
import dev.tally.proto.v1.ListUsagePlansRequest;
import dev.tally.proto.v1.RevokeDeveloperKeyRequest;
import dev.tally.proto.v1.SyncServiceGrpc;
import dev.tally.proto.v1.UsagePlanServiceGrpc;
import dev.tally.proto.v1.UsageServiceGrpc;
import dev.tally.server.testing.ServerProcess;
import dev.tally.server.testing.TestServer;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;

/**
 * No secret reaches the log at any level. The packaged server runs at TRACE, then DEBUG, through a session
 * that makes, uses and revokes every kind of secret Tally has, over both doors; then the log is searched
 * for each of them, and for the store's own secrets (the master key, the page-token signing key).
 */
class LogSecretsIT {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"TRACE", "DEBUG"})
    void everySecretOfASession_isAbsentFromTheLog(String level) throws Exception {
        Path data = dir.resolve("data");
        List<String> secrets = new ArrayList<>();
        try (ServerProcess server = ServerProcess.start(data, Map.of("TALLY_LOG_LEVEL", level))) {
            ManagedChannel channel = NettyChannelBuilder.forTarget(server.target()).usePlaintext().build();
            try {
                secrets.addAll(session(channel, server, Files.readString(data.resolve("admin.token")).trim()));
            } finally {
                channel.shutdownNow();
            }
            server.stop();
            secrets.add(Files.readString(data.resolve("master.key")).trim());
            secrets.addAll(storeSecrets(data.resolve("tally.db")));

            String log = server.log() + server.errors();
            assertThat(log).as("the log is written at " + level).contains("DEBUG [main] dev.tally.server.TallyServer - Starting with")
                    .contains("tally.access");
            assertThat(secrets).hasSizeGreaterThanOrEqualTo(9).allSatisfy(secret -> assertThat(secret).hasSizeGreaterThanOrEqualTo(16));
            for (String secret : secrets) {
                assertThat(log).as("a secret of " + secret.length() + " characters starting " + secret.substring(0, 4)).doesNotContain(secret);
            }
        }
    }

    /** Makes, uses and revokes one of each kind of secret; returns them. */
    private static List<String> session(ManagedChannel channel, ServerProcess server, String admin) {
        List<String> secrets = new ArrayList<>(List.of(admin));
        var access = TestServer.withToken(AccessServiceGrpc.newBlockingStub(channel), admin);
        var developer = access.createDeveloperKey(CreateDeveloperKeyRequest.newBuilder().setName("ops").build());
        secrets.add(developer.getToken());
        TestServer.withToken(AccessServiceGrpc.newBlockingStub(channel), developer.getToken()).listDeveloperKeys(
                ListDeveloperKeysRequest.getDefaultInstance());
        access.revokeDeveloperKey(RevokeDeveloperKeyRequest.newBuilder().setKeyId(developer.getKeyId()).build());

        var sync = TestServer.withToken(SyncServiceGrpc.newBlockingStub(channel), admin);
        String pool = sync.createIdentityPool(CreateIdentityPoolRequest.newBuilder().setIdentityPoolName("app").build())
                .getIdentityPool().getIdentityPoolId();
        String identity = sync.createIdentity(CreateIdentityRequest.newBuilder().setIdentityPoolId(pool).build()).getIdentityId();
        String identityToken = access.issueIdentityToken(IssueIdentityTokenRequest.newBuilder().setIdentityPoolId(pool)
                .setIdentityId(identity).build()).getToken();
        secrets.add(identityToken);
        TestServer.withToken(UsageServiceGrpc.newBlockingStub(channel), identityToken).describeIdentityUsage(
                DescribeIdentityUsageRequest.newBuilder().setIdentityPoolId(pool).setIdentityId(identity).build());

        var plans = TestServer.withToken(UsagePlanServiceGrpc.newBlockingStub(channel), admin);
        String plan = plans.createUsagePlan(CreateUsagePlanRequest.newBuilder().setName("one").build()).getUsagePlan().getId();
        plans.createUsagePlan(CreateUsagePlanRequest.newBuilder().setName("two").build());
        var key = plans.createApiKey(CreateApiKeyRequest.newBuilder().setName("k").setEnabled(true).build()).getApiKey();
        secrets.add(key.getValue());
        plans.createUsagePlanKey(CreateUsagePlanKeyRequest.newBuilder().setUsagePlanId(plan).setKeyId(key.getId()).build());
        plans.consumeQuota(ConsumeQuotaRequest.newBuilder().setUsagePlanId(plan).setApiKey(key.getValue()).build());
        String pageToken = plans.listUsagePlans(ListUsagePlansRequest.newBuilder().setPageSize(1).build()).getNextPageToken();
        secrets.add(pageToken);
        plans.listUsagePlans(ListUsagePlansRequest.newBuilder().setPageSize(1).setPageToken(pageToken).build());

        var accessKey = access.createAccessKey(CreateAccessKeyRequest.newBuilder().setDescription("sdk").build());
        secrets.add(accessKey.getSecretAccessKey());
        try (ApiGatewayClient aws = ApiGatewayClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + server.httpPort()))
                .region(Region.US_EAST_1).httpClient(ApacheHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey.getAccessKey().getAccessKeyId(),
                        accessKey.getSecretAccessKey()))).build()) {
            aws.getUsagePlans(r -> r.limit(1));
            aws.getApiKey(r -> r.apiKey(key.getId()).includeValue(true));
        }
        access.deleteAccessKey(DeleteAccessKeyRequest.newBuilder().setAccessKeyId(accessKey.getAccessKey().getAccessKeyId()).build());

        var licenses = TestServer.withToken(LicenseServiceGrpc.newBlockingStub(channel), admin);
        String arn = licenses.createLicense(LicensesIT.officeLicense()).getLicenseArn();
        String consumption = licenses.checkoutLicense(CheckoutLicenseRequest.newBuilder().setLicenseArn(arn)
                .setCheckoutType(CheckoutType.CHECKOUT_TYPE_PROVISIONAL).setNodeId("n").addEntitlements(EntitlementData.newBuilder()
                        .setName("Seats").setValue("1").setUnit(EntitlementUnit.ENTITLEMENT_UNIT_COUNT)).build()).getLicenseConsumptionToken();
        secrets.add(consumption);
        licenses.checkInLicense(CheckInLicenseRequest.newBuilder().setLicenseConsumptionToken(consumption).build());
        return secrets;
    }

    /** The secrets the store keeps for the server (the page-token and session signing keys). */
    private static List<String> storeSecrets(Path database) throws Exception {
        List<String> found = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
             ResultSet rows = connection.createStatement().executeQuery("SELECT secret_hex FROM server_secret")) {
            while (rows.next()) {
                found.add(rows.getString(1));
            }
        }
        assertThat(found).isNotEmpty();
        return found;
    }
}
