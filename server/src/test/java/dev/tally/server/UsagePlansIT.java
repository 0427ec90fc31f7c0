package dev.tally.server;

import static dev.tally.server.testing.RpcAssertions.assertRpcError;
import static dev.tally.server.testing.TestServer.withToken;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.proto.v1.AccessServiceGrpc;
import dev.tally.proto.v1.ConsumeQuotaRequest;
import dev.tally.proto.v1.ConsumeQuotaResponse;
import dev.tally.proto.v1.CreateApiKeyRequest;
import dev.tally.proto.v1.CreateIdentityPoolRequest;
import dev.tally.proto.v1.CreateIdentityRequest;
import dev.tally.proto.v1.CreateUsagePlanKeyRequest;
import dev.tally.proto.v1.CreateUsagePlanRequest;
import dev.tally.proto.v1.Decision;
import dev.tally.proto.v1.DeleteUsagePlanKeyRequest;
import dev.tally.proto.v1.DeleteUsagePlanRequest;
import dev.tally.proto.v1.GetUsagePlanRequest;
import dev.tally.proto.v1.GetUsageRequest;
import dev.tally.proto.v1.GetUsageResponse;
import dev.tally.proto.v1.IssueIdentityTokenRequest;
import dev.tally.proto.v1.ListApiKeysRequest;
import dev.tally.proto.v1.ListUsagePlanKeysRequest;
import dev.tally.proto.v1.ListUsagePlansRequest;
import dev.tally.proto.v1.QuotaPeriod;
import dev.tally.proto.v1.QuotaSettings;
import dev.tally.proto.v1.RecordUsageRequest;
import dev.tally.proto.v1.SyncServiceGrpc;
import dev.tally.proto.v1.ThrottleSettings;
import dev.tally.proto.v1.UpdateApiKeyRequest;
import dev.tally.proto.v1.UpdateUsageRequest;
import dev.tally.proto.v1.UsagePlan;
import dev.tally.proto.v1.UsagePlanServiceGrpc;
import dev.tally.proto.v1.UsagePlanServiceGrpc.UsagePlanServiceBlockingStub;
import dev.tally.proto.v1.UsageServiceGrpc;
import dev.tally.proto.v1.UsageServiceGrpc.UsageServiceBlockingStub;
import dev.tally.server.testing.TestServer;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage plans, keys, metering and GetUsage through a real channel, with every error of the contract. */
class UsagePlansIT {

    @TempDir
    Path dataDir;
    private TestServer server;
    private UsagePlanServiceBlockingStub plans;
    private UsageServiceBlockingStub usage;
    private final String today = LocalDate.now(ZoneOffset.UTC).toString();

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dataDir);
        plans = server.asAdmin(UsagePlanServiceGrpc.newBlockingStub(server.channel()));
        usage = server.asAdmin(UsageServiceGrpc.newBlockingStub(server.channel()));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void plansAndKeys_createReadListUpdateDelete() {
        UsagePlan plan = createPlan(QuotaSettings.newBuilder().setLimit(1000).setOffset(10).setPeriod(QuotaPeriod.QUOTA_PERIOD_WEEK).build(),
                "Europe/Berlin");
        assertThat(plan.getId()).matches("[a-z0-9]{6}");
        assertThat(plan.getTimeZone()).isEqualTo("Europe/Berlin");
        assertThat(plans.getUsagePlan(GetUsagePlanRequest.newBuilder().setUsagePlanId(plan.getId()).build()).getUsagePlan())
                .isEqualTo(plan);
        assertThat(createPlan(null, "").getTimeZone()).isEqualTo("UTC");
        assertThat(plans.listUsagePlans(ListUsagePlansRequest.newBuilder().setPageSize(1).build()).getNextPageToken()).isNotEmpty();

        var created = plans.createApiKey(CreateApiKeyRequest.newBuilder().setName("mobile").setEnabled(true).build()).getApiKey();
        assertThat(created.getId()).matches("[a-z0-9]{10}");
        assertThat(created.getValue()).matches("[A-Za-z0-9]{40}");
        assertThat(plans.listApiKeys(ListApiKeysRequest.getDefaultInstance()).getApiKeysList())
                .singleElement().satisfies(k -> assertThat(k.getValue()).isEmpty());
        var chosen = plans.createApiKey(CreateApiKeyRequest.newBuilder().setValue("a".repeat(20)).build()).getApiKey();
        assertThat(chosen.getValue()).isEqualTo("a".repeat(20));
        assertRpcError(() -> plans.createApiKey(CreateApiKeyRequest.newBuilder().setValue("a".repeat(20)).build()),
                Status.Code.ALREADY_EXISTS, "ConflictException");
        assertRpcError(() -> plans.createApiKey(CreateApiKeyRequest.newBuilder().setValue("short").build()),
                Status.Code.INVALID_ARGUMENT, "BadRequestException");

        var planKey = plans.createUsagePlanKey(CreateUsagePlanKeyRequest.newBuilder().setUsagePlanId(plan.getId())
                .setKeyId(created.getId()).build()).getUsagePlanKey();
        assertThat(planKey.getType()).isEqualTo("API_KEY");
        assertThat(planKey.getName()).isEqualTo("mobile");
        assertRpcError(() -> plans.createUsagePlanKey(CreateUsagePlanKeyRequest.newBuilder().setUsagePlanId(plan.getId())
                .setKeyId(created.getId()).build()), Status.Code.ALREADY_EXISTS, "ConflictException");
        assertThat(plans.listUsagePlanKeys(ListUsagePlanKeysRequest.newBuilder().setUsagePlanId(plan.getId()).build())
                .getUsagePlanKeysCount()).isEqualTo(1);
        var disabled = plans.updateApiKey(UpdateApiKeyRequest.newBuilder().setKeyId(created.getId()).setEnabled(false).build()).getApiKey();
        assertThat(disabled.getEnabled()).isFalse();
        assertThat(disabled.getName()).isEqualTo("mobile");

        plans.deleteUsagePlanKey(DeleteUsagePlanKeyRequest.newBuilder().setUsagePlanId(plan.getId()).setKeyId(created.getId()).build());
        assertRpcError(() -> plans.deleteUsagePlanKey(DeleteUsagePlanKeyRequest.newBuilder().setUsagePlanId(plan.getId())
                .setKeyId(created.getId()).build()), Status.Code.NOT_FOUND, "NotFoundException");
        plans.deleteUsagePlan(DeleteUsagePlanRequest.newBuilder().setUsagePlanId(plan.getId()).build());
        assertRpcError(() -> plans.getUsagePlan(GetUsagePlanRequest.newBuilder().setUsagePlanId(plan.getId()).build()),
                Status.Code.NOT_FOUND, "NotFoundException");
        assertRpcError(() -> plans.getUsagePlan(GetUsagePlanRequest.newBuilder().setUsagePlanId("BAD").build()),
                Status.Code.INVALID_ARGUMENT, "BadRequestException");
        assertRpcError(() -> createPlan(QuotaSettings.newBuilder().setLimit(5).build(), ""),
                Status.Code.INVALID_ARGUMENT, "BadRequestException");
        assertRpcError(() -> createPlan(null, "Mars/Olympus"), Status.Code.INVALID_ARGUMENT, "BadRequestException");
    }

    @Test
    void consumeQuota_byKeyValue_reportsThePeriod_andGetUsageShowsIt() {
        UsagePlan plan = createPlan(QuotaSettings.newBuilder().setLimit(3).setPeriod(QuotaPeriod.QUOTA_PERIOD_DAY).build(), "");
        var key = plans.createApiKey(CreateApiKeyRequest.newBuilder().setName("gw").setEnabled(true).build()).getApiKey();
        associate(plan, key.getId());

        ConsumeQuotaResponse first = plans.consumeQuota(ConsumeQuotaRequest.newBuilder().setUsagePlanId(plan.getId())
                .setApiKey(key.getValue()).setCost(2).build());
        ConsumeQuotaResponse over = plans.consumeQuota(ConsumeQuotaRequest.newBuilder().setUsagePlanId(plan.getId())
                .setKeyId(key.getId()).setCost(2).build());
        ConsumeQuotaResponse unknown = plans.consumeQuota(ConsumeQuotaRequest.newBuilder().setUsagePlanId(plan.getId())
                .setApiKey("Z".repeat(40)).build());

        assertThat(first.getDecision()).isEqualTo(Decision.DECISION_ALLOWED);
        assertThat(first.getUsed()).isEqualTo(2);
        assertThat(first.getRemaining()).isEqualTo(1);
        assertThat(first.getPeriodEnd().getSeconds()).isEqualTo(LocalDate.parse(today).plusDays(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond());
        assertThat(over.getDecision()).isEqualTo(Decision.DECISION_QUOTA_EXCEEDED);
        assertThat(over.getRetryAfter().getSeconds()).isPositive();
        assertThat(unknown.getDecision()).isEqualTo(Decision.DECISION_KEY_REJECTED);
        assertThat(unknown.hasRemaining()).isFalse();
        GetUsageResponse report = usage.getUsage(GetUsageRequest.newBuilder().setUsagePlanId(plan.getId())
                .setStartDate(LocalDate.parse(today).minusDays(1).toString()).setEndDate(today).build());
        assertThat(report.getItemsMap().get(key.getId()).getDaysList()).extracting(d -> d.getDate() + ":" + d.getUsed() + "/" + d.getRemaining())
                .containsExactly(LocalDate.parse(today).minusDays(1) + ":0/3", today + ":2/1");
        assertRpcError(() -> plans.consumeQuota(ConsumeQuotaRequest.newBuilder().setUsagePlanId("nopeno").setKeyId(key.getId()).build()),
                Status.Code.NOT_FOUND, "NotFoundException");
        assertRpcError(() -> plans.consumeQuota(ConsumeQuotaRequest.newBuilder().setUsagePlanId(plan.getId()).build()),
                Status.Code.INVALID_ARGUMENT, "BadRequestException");
        assertRpcError(() -> plans.consumeQuota(ConsumeQuotaRequest.newBuilder().setUsagePlanId(plan.getId()).setKeyId(key.getId())
                .setCost(-1).build()), Status.Code.INVALID_ARGUMENT, "BadRequestException");
    }

    @Test
    void getUsage_validatesRangeLimitAndPosition_withTheContractsErrors() {
        UsagePlan plan = createPlan(QuotaSettings.newBuilder().setLimit(10).setPeriod(QuotaPeriod.QUOTA_PERIOD_MONTH).build(), "");
        UsagePlan other = createPlan(null, "");
        for (int i = 0; i < 3; i++) {
            associate(plan, plans.createApiKey(CreateApiKeyRequest.newBuilder().setEnabled(true).build()).getApiKey().getId());
            associate(other, plans.createApiKey(CreateApiKeyRequest.newBuilder().setEnabled(true).build()).getApiKey().getId());
        }
        GetUsageRequest base = GetUsageRequest.newBuilder().setUsagePlanId(plan.getId()).setStartDate("2026-01-01").setEndDate("2026-03-31").build();

        assertThat(usage.getUsage(base).getItemsMap()).hasSize(3);
        assertThat(usage.getUsage(base).getItemsMap().values()).allSatisfy(log -> assertThat(log.getDaysCount()).isEqualTo(90));
        bad(base.toBuilder().setEndDate("2026-04-01").build(), "91 days");
        bad(base.toBuilder().setEndDate("2025-12-31").build(), "before");
        bad(base.toBuilder().setStartDate("2026-1-01").build(), "start_date");
        bad(base.toBuilder().setStartDate("2026-02-30").build(), "start_date");
        bad(base.toBuilder().setEndDate("").build(), "end_date");
        assertThat(usage.getUsage(base.toBuilder().setLimit(500).build()).getItemsCount()).isEqualTo(3);
        bad(base.toBuilder().setLimit(501).build(), "limit");
        bad(base.toBuilder().setLimit(-1).build(), "limit");
        String position = usage.getUsage(base.toBuilder().setLimit(2).build()).getPosition();
        assertThat(usage.getUsage(base.toBuilder().setLimit(2).setPosition(position).build()).getItemsCount()).isEqualTo(1);
        bad(base.toBuilder().setPosition(position.substring(0, position.length() - 2)).build(), "position");
        String foreign = usage.getUsage(base.toBuilder().setUsagePlanId(other.getId()).setLimit(2).build()).getPosition();
        bad(base.toBuilder().setPosition(foreign).build(), "position");
        assertRpcError(() -> usage.getUsage(base.toBuilder().setUsagePlanId("nopeno").build()), Status.Code.NOT_FOUND, "NotFoundException");
        String stranger = plans.createApiKey(CreateApiKeyRequest.getDefaultInstance()).getApiKey().getId();
        assertRpcError(() -> usage.getUsage(base.toBuilder().setKeyId(stranger).build()), Status.Code.NOT_FOUND, "NotFoundException");
        assertRpcError(() -> plans.updateUsage(UpdateUsageRequest.newBuilder().setUsagePlanId(other.getId())
                .setKeyId(stranger).setRemaining(1).build()), Status.Code.INVALID_ARGUMENT, "BadRequestException");
        assertRpcError(() -> plans.recordUsage(RecordUsageRequest.newBuilder().setUsagePlanId(plan.getId()).setKeyId(stranger)
                .setCount(1).build()), Status.Code.INVALID_ARGUMENT, "BadRequestException");
    }

    @Test
    void identityTokens_mayNotReadUsage() {
        var sync = server.asAdmin(SyncServiceGrpc.newBlockingStub(server.channel()));
        String pool = sync.createIdentityPool(CreateIdentityPoolRequest.newBuilder().setIdentityPoolName("p").build())
                .getIdentityPool().getIdentityPoolId();
        String identity = sync.createIdentity(CreateIdentityRequest.newBuilder().setIdentityPoolId(pool).build()).getIdentityId();
        String token = server.asAdmin(AccessServiceGrpc.newBlockingStub(server.channel())).issueIdentityToken(
                IssueIdentityTokenRequest.newBuilder().setIdentityPoolId(pool).setIdentityId(identity).build()).getToken();
        UsagePlan plan = createPlan(null, "");

        assertRpcError(() -> withToken(UsageServiceGrpc.newBlockingStub(server.channel()), token).getUsage(GetUsageRequest.newBuilder()
                .setUsagePlanId(plan.getId()).setStartDate(today).setEndDate(today).build()),
                Status.Code.PERMISSION_DENIED, "UnauthorizedException");
        assertRpcError(() -> withToken(UsagePlanServiceGrpc.newBlockingStub(server.channel()), token).listUsagePlans(
                ListUsagePlansRequest.getDefaultInstance()), Status.Code.PERMISSION_DENIED, "AccessDeniedException");
    }

    @Test
    void throttledPlan_answersThrottledWithRetryAfter() {
        UsagePlan plan = plans.createUsagePlan(CreateUsagePlanRequest.newBuilder().setName("tight")
                .setThrottle(ThrottleSettings.newBuilder().setBurstLimit(2).setRateLimit(0.001)).build()).getUsagePlan();
        String key = plans.createApiKey(CreateApiKeyRequest.newBuilder().setEnabled(true).build()).getApiKey().getId();
        associate(plan, key);
        ConsumeQuotaRequest call = ConsumeQuotaRequest.newBuilder().setUsagePlanId(plan.getId()).setKeyId(key).build();

        List<Decision> decisions = List.of(plans.consumeQuota(call).getDecision(), plans.consumeQuota(call).getDecision());
        ConsumeQuotaResponse third = plans.consumeQuota(call);

        assertThat(decisions).containsOnly(Decision.DECISION_ALLOWED);
        assertThat(third.getDecision()).isEqualTo(Decision.DECISION_THROTTLED);
        assertThat(third.getUsed()).isEqualTo(2);
        assertThat(third.hasRemaining()).isFalse();
        assertThat(third.getRetryAfter().getSeconds()).isGreaterThan(900);
    }

    @Test
    void aCostThatCouldNeverPass_isABadRequest_notAnEndlessRetry() {
        UsagePlan plan = plans.createUsagePlan(CreateUsagePlanRequest.newBuilder().setName("small")
                .setQuota(QuotaSettings.newBuilder().setLimit(10).setPeriod(QuotaPeriod.QUOTA_PERIOD_DAY))
                .setThrottle(ThrottleSettings.newBuilder().setBurstLimit(5).setRateLimit(1)).build()).getUsagePlan();
        String key = plans.createApiKey(CreateApiKeyRequest.newBuilder().setEnabled(true).build()).getApiKey().getId();
        associate(plan, key);
        ConsumeQuotaRequest call = ConsumeQuotaRequest.newBuilder().setUsagePlanId(plan.getId()).setKeyId(key).build();

        assertThat(assertRpcError(() -> plans.consumeQuota(call.toBuilder().setCost(6).build()), Status.Code.INVALID_ARGUMENT,
                "BadRequestException").getStatus().getDescription()).isEqualTo("cost 6 is more than usage plan '" + plan.getId()
                + "' lets through at once (burst limit 5): such a call could never pass");
        UsagePlan unthrottled = plans.createUsagePlan(CreateUsagePlanRequest.newBuilder().setName("quota only")
                .setQuota(QuotaSettings.newBuilder().setLimit(10).setPeriod(QuotaPeriod.QUOTA_PERIOD_DAY)).build()).getUsagePlan();
        associate(unthrottled, key);
        // Above the quota limit is different: UpdateUsage may grant the key more, so it is a decision, not an error.
        assertThat(plans.consumeQuota(call.toBuilder().setUsagePlanId(unthrottled.getId()).setCost(11).build()).getDecision())
                .isEqualTo(Decision.DECISION_QUOTA_EXCEEDED);
        assertThat(plans.consumeQuota(call.toBuilder().setCost(5).build()).getDecision()).isEqualTo(Decision.DECISION_ALLOWED);
    }

    private void bad(GetUsageRequest request, String mentioned) {
        var failure = assertRpcError(() -> usage.getUsage(request), Status.Code.INVALID_ARGUMENT, "BadRequestException");
        assertThat(failure.getStatus().getDescription()).contains(mentioned);
    }

    private UsagePlan createPlan(QuotaSettings quota, String zone) {
        CreateUsagePlanRequest.Builder request = CreateUsagePlanRequest.newBuilder().setName("plan").setTimeZone(zone);
        if (quota != null) {
            request.setQuota(quota);
        }
        return plans.createUsagePlan(request.build()).getUsagePlan();
    }

    private void associate(UsagePlan plan, String key) {
        plans.createUsagePlanKey(CreateUsagePlanKeyRequest.newBuilder().setUsagePlanId(plan.getId()).setKeyId(key).build());
    }
}
