package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.proto.v1.AccessServiceGrpc;
import dev.tally.proto.v1.ConsumeQuotaRequest;
import dev.tally.proto.v1.CreateAccessKeyRequest;
import dev.tally.proto.v1.CreateAccessKeyResponse;
import dev.tally.proto.v1.CreateDeveloperKeyRequest;
import dev.tally.proto.v1.CreateDeveloperKeyResponse;
import dev.tally.proto.v1.Decision;
import dev.tally.proto.v1.DeleteAccessKeyRequest;
import dev.tally.proto.v1.GetApiKeyRequest;
import dev.tally.proto.v1.GetUsagePlanRequest;
import dev.tally.proto.v1.GetUsageRequest;
import dev.tally.proto.v1.RevokeDeveloperKeyRequest;
import dev.tally.proto.v1.UsagePlanServiceGrpc;
import dev.tally.proto.v1.UsageServiceGrpc;
import dev.tally.server.testing.TestServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.ApiGatewayException;
import software.amazon.awssdk.services.apigateway.model.ConflictException;
import software.amazon.awssdk.services.apigateway.model.CreateApiKeyResponse;
import software.amazon.awssdk.services.apigateway.model.CreateUsagePlanResponse;
import software.amazon.awssdk.services.apigateway.model.GetUsageResponse;
import software.amazon.awssdk.services.apigateway.model.NotFoundException;
import software.amazon.awssdk.services.apigateway.model.Op;
import software.amazon.awssdk.services.apigateway.model.PatchOperation;
import software.amazon.awssdk.services.apigateway.model.QuotaPeriodType;

/**
 * The AWS door through AWS SDK for Java v2 (the strictest SDK about wire types): an endpoint override,
 * static credentials from CreateAccessKey, and every API Gateway operation Tally serves; both doors see
 * each other's writes at once.
 */
class AwsApiGatewayIT {

    @TempDir
    Path dir;
    private TestServer server;
    private ApiGatewayClient aws;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dir);
        CreateAccessKeyResponse key = server.asAdmin(AccessServiceGrpc.newBlockingStub(server.channel()))
                .createAccessKey(CreateAccessKeyRequest.newBuilder().setDescription("sdk test").build());
        aws = client(key.getAccessKey().getAccessKeyId(), key.getSecretAccessKey());
    }

    @AfterEach
    void stop() {
        aws.close();
        server.close();
    }

    private ApiGatewayClient client(String accessKeyId, String secret) {
        return ApiGatewayClient.builder()
                .endpointOverride(URI.create(server.httpEndpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secret)))
                .httpClient(ApacheHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1)))
                .build();
    }

    @Test
    void everyOperation_throughTheSdk_andBothDoorsSeeEachOthersWrites() {
        CreateUsagePlanResponse plan = aws.createUsagePlan(r -> r.name("gold").description("the gold plan")
                .quota(q -> q.limit(100).period(QuotaPeriodType.DAY)).throttle(t -> t.burstLimit(50).rateLimit(25.0)));
        assertThat(plan.sdkHttpResponse().statusCode()).isEqualTo(201);
        assertThat(plan.id()).matches("[a-z0-9]{6}");
        assertThat(aws.getUsagePlan(r -> r.usagePlanId(plan.id())).quota().limit()).isEqualTo(100);

        CreateApiKeyResponse key = aws.createApiKey(r -> r.name("mobile-ios").enabled(true));
        assertThat(key.sdkHttpResponse().statusCode()).isEqualTo(201);
        assertThat(key.value()).hasSizeGreaterThanOrEqualTo(20);
        assertThat(key.createdDate()).isNotNull();
        aws.createApiKey(r -> r.name("web").enabled(true));
        assertThat(aws.getApiKey(r -> r.apiKey(key.id()).includeValue(true)).value()).isEqualTo(key.value());
        assertThat(aws.getApiKey(r -> r.apiKey(key.id())).value()).isNull();
        assertThat(aws.getApiKeys(r -> r.nameQuery("mobile").includeValues(true)).items())
                .extracting(k -> k.id() + "=" + k.value()).containsExactly(key.id() + "=" + key.value());

        assertThat(aws.createUsagePlanKey(r -> r.usagePlanId(plan.id()).keyId(key.id()).keyType("API_KEY")).type()).isEqualTo("API_KEY");
        assertThatThrownBy(() -> aws.createUsagePlanKey(r -> r.usagePlanId(plan.id()).keyId(key.id()).keyType("API_KEY")))
                .isInstanceOf(ConflictException.class);
        assertThat(aws.getUsagePlanKey(r -> r.usagePlanId(plan.id()).keyId(key.id())).name()).isEqualTo("mobile-ios");
        assertThat(aws.getUsagePlanKeys(r -> r.usagePlanId(plan.id())).items()).hasSize(1);
        assertThat(aws.getUsagePlans(r -> r.keyId(key.id())).items()).extracting(p -> p.id()).containsExactly(plan.id());

        // gRPC writes, the SDK reads.
        var grpcPlans = server.asAdmin(UsagePlanServiceGrpc.newBlockingStub(server.channel()));
        for (int i = 0; i < 3; i++) {
            assertThat(grpcPlans.consumeQuota(ConsumeQuotaRequest.newBuilder().setUsagePlanId(plan.id()).setApiKey(key.value()).build())
                    .getDecision()).isEqualTo(Decision.DECISION_ALLOWED);
        }
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        GetUsageResponse usage = aws.getUsage(r -> r.usagePlanId(plan.id()).startDate(today).endDate(today));
        assertThat(usage.items().get(key.id())).containsExactly(List.of(3L, 97L));

        // The SDK writes, gRPC reads.
        aws.updateUsage(r -> r.usagePlanId(plan.id()).keyId(key.id())
                .patchOperations(PatchOperation.builder().op(Op.REPLACE).path("/remaining").value("10").build()));
        var grpcUsage = server.asAdmin(UsageServiceGrpc.newBlockingStub(server.channel()));
        assertThat(grpcUsage.getUsage(GetUsageRequest.newBuilder().setUsagePlanId(plan.id()).setStartDate(today).setEndDate(today).build())
                .getItemsMap().get(key.id()).getDays(0).getRemaining()).isEqualTo(10);

        aws.updateUsagePlan(r -> r.usagePlanId(plan.id()).patchOperations(
                PatchOperation.builder().op(Op.REPLACE).path("/quota/limit").value("500").build(),
                PatchOperation.builder().op(Op.REPLACE).path("/name").value("platinum").build()));
        var grpcPlan = grpcPlans.getUsagePlan(GetUsagePlanRequest.newBuilder().setUsagePlanId(plan.id()).build()).getUsagePlan();
        assertThat(grpcPlan.getName()).isEqualTo("platinum");
        assertThat(grpcPlan.getQuota().getLimit()).isEqualTo(500);

        aws.updateApiKey(r -> r.apiKey(key.id()).patchOperations(PatchOperation.builder().op(Op.REPLACE).path("/enabled").value("false").build()));
        assertThat(grpcPlans.getApiKey(GetApiKeyRequest.newBuilder().setKeyId(key.id()).build()).getApiKey().getEnabled()).isFalse();

        assertThat(aws.deleteUsagePlanKey(r -> r.usagePlanId(plan.id()).keyId(key.id())).sdkHttpResponse().statusCode()).isEqualTo(202);
        assertThat(aws.deleteApiKey(r -> r.apiKey(key.id())).sdkHttpResponse().statusCode()).isEqualTo(202);
        assertThatThrownBy(() -> aws.getApiKey(r -> r.apiKey(key.id()))).isInstanceOf(NotFoundException.class);
        aws.deleteUsagePlan(r -> r.usagePlanId(plan.id()));
        assertThatThrownBy(() -> aws.getUsagePlan(r -> r.usagePlanId(plan.id())))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("Invalid Usage Plan ID specified");
    }

    @Test
    void paginatorsWalkEveryPage() {
        for (int i = 0; i < 7; i++) {
            int n = i;
            aws.createApiKey(r -> r.name("key-" + n).enabled(true));
        }
        assertThat(aws.getApiKeysPaginator(r -> r.limit(3)).items().stream().count()).isEqualTo(7);
        assertThat(aws.getApiKeysPaginator(r -> r.limit(3)).stream().count()).isEqualTo(3);
    }

    @Test
    void wrongSecret_unknownKey_deletedKey_andRevokedDeveloper_areRefusedWith403() {
        var access = server.asAdmin(AccessServiceGrpc.newBlockingStub(server.channel()));
        CreateAccessKeyResponse key = access.createAccessKey(CreateAccessKeyRequest.getDefaultInstance());
        try (ApiGatewayClient wrongSecret = client(key.getAccessKey().getAccessKeyId(), "x".repeat(40));
             ApiGatewayClient unknown = client("AKIAAAAAAAAAAAAAAAAA", key.getSecretAccessKey())) {
            assertAwsError(() -> wrongSecret.getUsagePlans(), 403, "InvalidSignatureException");
            assertAwsError(() -> unknown.getUsagePlans(), 403, "UnrecognizedClientException");
        }
        try (ApiGatewayClient deleted = client(key.getAccessKey().getAccessKeyId(), key.getSecretAccessKey())) {
            assertThat(deleted.getUsagePlans().items()).isEmpty();
            access.deleteAccessKey(DeleteAccessKeyRequest.newBuilder().setAccessKeyId(key.getAccessKey().getAccessKeyId()).build());
            assertAwsError(() -> deleted.getUsagePlans(), 403, "UnrecognizedClientException");
        }

        CreateDeveloperKeyResponse developer = access.createDeveloperKey(CreateDeveloperKeyRequest.newBuilder().setName("ci").build());
        CreateAccessKeyResponse ciKey = TestServer.withToken(AccessServiceGrpc.newBlockingStub(server.channel()), developer.getToken())
                .createAccessKey(CreateAccessKeyRequest.getDefaultInstance());
        assertThat(ciKey.getAccessKey().getDeveloperKeyId()).isEqualTo(developer.getKeyId());
        try (ApiGatewayClient ci = client(ciKey.getAccessKey().getAccessKeyId(), ciKey.getSecretAccessKey())) {
            assertThat(ci.getUsagePlans().items()).isEmpty();
            access.revokeDeveloperKey(RevokeDeveloperKeyRequest.newBuilder().setKeyId(developer.getKeyId()).build());
            assertAwsError(() -> ci.getUsagePlans(), 403, "UnrecognizedClientException");
        }
    }

    @Test
    void thePerCallerRateLimit_coversBothDoors_andAnswers429() throws Exception {
        try (TestServer limited = TestServer.builder(dir.resolve("limited")).rateLimit(0.001, 3).start()) {
            CreateAccessKeyResponse key = limited.asAdmin(AccessServiceGrpc.newBlockingStub(limited.channel()))
                    .createAccessKey(CreateAccessKeyRequest.getDefaultInstance());
            try (ApiGatewayClient sdk = ApiGatewayClient.builder().endpointOverride(URI.create(limited.httpEndpoint()))
                    .region(Region.US_EAST_1).httpClient(ApacheHttpClient.create())
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                            key.getAccessKey().getAccessKeyId(), key.getSecretAccessKey())))
                    .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1))).build()) {
                // The gRPC call above took one of the caller's three; two more pass, the next is refused.
                sdk.getUsagePlans();
                sdk.getUsagePlans();
                assertThatThrownBy(sdk::getUsagePlans).isInstanceOfSatisfying(
                        software.amazon.awssdk.services.apigateway.model.TooManyRequestsException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(429));
            }
        }
    }

    @Test
    void openAuth_acceptsAnyCredentials_asTheBootstrapDeveloper() throws Exception {
        try (TestServer open = TestServer.builder(dir.resolve("open")).awsAuth(ServerConfig.AwsAuth.OPEN).start();
             ApiGatewayClient anyone = ApiGatewayClient.builder().endpointOverride(URI.create(open.httpEndpoint()))
                     .region(Region.US_EAST_1).httpClient(ApacheHttpClient.create())
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAANYTHING", "anything")))
                     .build()) {
            String id = anyone.createUsagePlan(r -> r.name("scratch")).id();
            assertThat(open.asAdmin(UsagePlanServiceGrpc.newBlockingStub(open.channel()))
                    .getUsagePlan(GetUsagePlanRequest.newBuilder().setUsagePlanId(id).build()).getUsagePlan().getName()).isEqualTo("scratch");
        }
    }

    @Test
    void aServerWithAnotherMasterKey_refusesToStart_andSaysWhy() throws Exception {
        Path other = dir.resolve("other");
        TestServer.start(other).close();
        String wrongKey = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        assertThatThrownBy(() -> TestServer.builder(other).masterKey(wrongKey).start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not the one this database's secrets were sealed with")
                .hasMessageNotContaining(wrongKey);
        assertThatThrownBy(() -> TestServer.builder(other).masterKey("not base64!").start())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("invalid TALLY_MASTER_KEY: the master key is not valid base64");
    }

    @Test
    void secretsAreSealed_notStoredInTheDatabaseInTheClear() throws Exception {
        CreateAccessKeyResponse key = server.asAdmin(AccessServiceGrpc.newBlockingStub(server.channel()))
                .createAccessKey(CreateAccessKeyRequest.getDefaultInstance());
        CreateApiKeyResponse apiKey = aws.createApiKey(r -> r.name("sealed").enabled(true));
        server.stopServer();
        byte[] database = java.nio.file.Files.readAllBytes(dir.resolve("tally.db"));
        String text = new String(database, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(text).doesNotContain(key.getSecretAccessKey()).doesNotContain(apiKey.value());
        assertThat(java.nio.file.Files.getPosixFilePermissions(dir.resolve("master.key")))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    }

    private static void assertAwsError(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, int status, String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ApiGatewayException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(status);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
        });
    }
}
