package dev.tally.grpc;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Duration;
import dev.tally.domain.common.ApiKeyId;
import dev.tally.domain.common.ApiKeyValue;
import dev.tally.domain.common.ErrorReason;
import dev.tally.domain.common.InvalidParameterException;
import dev.tally.domain.common.Page;
import dev.tally.domain.common.UsagePlanId;
import dev.tally.domain.quota.ApiKey;
import dev.tally.domain.quota.ApiKeyWithValue;
import dev.tally.domain.quota.ConsumeQuotaCommand;
import dev.tally.domain.quota.KeyReference;
import dev.tally.domain.quota.NewApiKey;
import dev.tally.domain.quota.NewUsagePlan;
import dev.tally.domain.quota.QuotaDecision;
import dev.tally.domain.quota.RecordUsageCommand;
import dev.tally.domain.quota.UsagePlan;
import dev.tally.domain.quota.UsagePlanUpdate;
import dev.tally.domain.quota.port.in.ManageUsagePlans;
import dev.tally.domain.quota.port.in.MeterUsage;
import dev.tally.proto.v1.ConsumeQuotaRequest;
import dev.tally.proto.v1.UpdateUsagePlanResponse;
import dev.tally.proto.v1.UpdateUsagePlanRequest;
import dev.tally.proto.v1.GetUsagePlanKeyResponse;
import dev.tally.proto.v1.GetUsagePlanKeyRequest;
import dev.tally.proto.v1.GetApiKeyResponse;
import dev.tally.proto.v1.GetApiKeyRequest;
import dev.tally.proto.v1.DeleteApiKeyResponse;
import dev.tally.proto.v1.DeleteApiKeyRequest;
import dev.tally.proto.v1.ConsumeQuotaResponse;
import dev.tally.proto.v1.CreateApiKeyRequest;
import dev.tally.proto.v1.CreateApiKeyResponse;
import dev.tally.proto.v1.CreateUsagePlanKeyRequest;
import dev.tally.proto.v1.CreateUsagePlanKeyResponse;
import dev.tally.proto.v1.CreateUsagePlanRequest;
import dev.tally.proto.v1.CreateUsagePlanResponse;
import dev.tally.proto.v1.DeleteUsagePlanKeyRequest;
import dev.tally.proto.v1.DeleteUsagePlanKeyResponse;
import dev.tally.proto.v1.DeleteUsagePlanRequest;
import dev.tally.proto.v1.DeleteUsagePlanResponse;
import dev.tally.proto.v1.GetUsagePlanRequest;
import dev.tally.proto.v1.GetUsagePlanResponse;
import dev.tally.proto.v1.ListApiKeysRequest;
import dev.tally.proto.v1.ListApiKeysResponse;
import dev.tally.proto.v1.ListUsagePlanKeysRequest;
import dev.tally.proto.v1.ListUsagePlanKeysResponse;
import dev.tally.proto.v1.ListUsagePlansRequest;
import dev.tally.proto.v1.ListUsagePlansResponse;
import dev.tally.proto.v1.RecordUsageRequest;
import dev.tally.proto.v1.RecordUsageResponse;
import dev.tally.proto.v1.UpdateApiKeyRequest;
import dev.tally.proto.v1.UpdateApiKeyResponse;
import dev.tally.proto.v1.UpdateUsageRequest;
import dev.tally.proto.v1.UpdateUsageResponse;
import dev.tally.proto.v1.UsagePlanServiceGrpc;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.Optional;

/** tally.v1.UsagePlanService over the quota use cases. */
public final class UsagePlanGrpcService extends UsagePlanServiceGrpc.UsagePlanServiceImplBase {

    private final ManageUsagePlans plans;
    private final MeterUsage metering;

    public UsagePlanGrpcService(ManageUsagePlans plans, MeterUsage metering) {
        this.plans = requireNonNull(plans, "plans");
        this.metering = requireNonNull(metering, "metering");
    }

    @Override
    public void createUsagePlan(CreateUsagePlanRequest request, StreamObserver<CreateUsagePlanResponse> observer) {
        Rpc.unary(observer, () -> {
            NewUsagePlan plan = new NewUsagePlan(request.getName(), request.getDescription(),
                    request.hasQuota() ? Optional.of(QuotaMapping.quota(request.getQuota())) : Optional.empty(),
                    request.hasThrottle() ? Optional.of(QuotaMapping.throttle(request.getThrottle())) : Optional.empty(),
                    request.getTimeZone());
            return CreateUsagePlanResponse.newBuilder().setUsagePlan(QuotaMapping.plan(plans.createPlan(Callers.current(), plan))).build();
        });
    }

    @Override
    public void getUsagePlan(GetUsagePlanRequest request, StreamObserver<GetUsagePlanResponse> observer) {
        Rpc.unary(observer, () -> GetUsagePlanResponse.newBuilder()
                .setUsagePlan(QuotaMapping.plan(plans.getPlan(Callers.current(), new UsagePlanId(request.getUsagePlanId()))))
                .build());
    }

    @Override
    public void listUsagePlans(ListUsagePlansRequest request, StreamObserver<ListUsagePlansResponse> observer) {
        Rpc.unary(observer, () -> {
            Page<UsagePlan> page = plans.listPlans(Callers.current(), request.getPageSize(), request.getPageToken(),
                    request.getKeyId().isEmpty() ? Optional.empty() : Optional.of(new ApiKeyId(request.getKeyId())));
            ListUsagePlansResponse.Builder response = ListUsagePlansResponse.newBuilder().setNextPageToken(page.nextToken());
            page.items().forEach(plan -> response.addUsagePlans(QuotaMapping.plan(plan)));
            return response.build();
        });
    }

    @Override
    public void updateUsagePlan(UpdateUsagePlanRequest request, StreamObserver<UpdateUsagePlanResponse> observer) {
        Rpc.unary(observer, () -> {
            UsagePlanUpdate update = UsagePlanUpdate.none();
            if (request.hasName()) {
                update = update.withName(request.getName());
            }
            if (request.hasDescription()) {
                update = update.withDescription(request.getDescription());
            }
            if (request.hasQuotaLimit()) {
                update = update.withQuotaLimit(request.getQuotaLimit());
            }
            if (request.hasQuotaOffset()) {
                update = update.withQuotaOffset(request.getQuotaOffset());
            }
            if (request.getQuotaPeriod() != dev.tally.proto.v1.QuotaPeriod.QUOTA_PERIOD_UNSPECIFIED) {
                update = update.withQuotaPeriod(QuotaMapping.period(request.getQuotaPeriodValue(), "quota_period"));
            }
            if (request.getRemoveQuota()) {
                update = update.withoutQuota();
            }
            if (request.hasThrottleBurstLimit()) {
                update = update.withThrottleBurstLimit(request.getThrottleBurstLimit());
            }
            if (request.hasThrottleRateLimit()) {
                update = update.withThrottleRateLimit(request.getThrottleRateLimit());
            }
            if (request.getRemoveThrottle()) {
                update = update.withoutThrottle();
            }
            return UpdateUsagePlanResponse.newBuilder()
                    .setUsagePlan(QuotaMapping.plan(plans.updatePlan(Callers.current(), new UsagePlanId(request.getUsagePlanId()), update)))
                    .build();
        });
    }

    @Override
    public void deleteUsagePlan(DeleteUsagePlanRequest request, StreamObserver<DeleteUsagePlanResponse> observer) {
        Rpc.unary(observer, () -> {
            plans.deletePlan(Callers.current(), new UsagePlanId(request.getUsagePlanId()));
            return DeleteUsagePlanResponse.getDefaultInstance();
        });
    }

    @Override
    public void createApiKey(CreateApiKeyRequest request, StreamObserver<CreateApiKeyResponse> observer) {
        Rpc.unary(observer, () -> {
            NewApiKey created = plans.createKey(Callers.current(), request.getName(), request.getDescription(), request.getEnabled(),
                    request.getValue().isEmpty() ? Optional.empty() : Optional.of(request.getValue()));
            return CreateApiKeyResponse.newBuilder()
                    .setApiKey(QuotaMapping.key(created.key()).toBuilder().setValue(created.value().value()))
                    .build();
        });
    }

    @Override
    public void getApiKey(GetApiKeyRequest request, StreamObserver<GetApiKeyResponse> observer) {
        Rpc.unary(observer, () -> GetApiKeyResponse.newBuilder()
                .setApiKey(QuotaMapping.key(plans.getKey(Callers.current(), new ApiKeyId(request.getKeyId()), request.getIncludeValue())))
                .build());
    }

    @Override
    public void listApiKeys(ListApiKeysRequest request, StreamObserver<ListApiKeysResponse> observer) {
        Rpc.unary(observer, () -> {
            Page<ApiKeyWithValue> page = plans.listKeys(Callers.current(), request.getPageSize(), request.getPageToken(),
                    request.getNameQuery(), request.getIncludeValues());
            ListApiKeysResponse.Builder response = ListApiKeysResponse.newBuilder().setNextPageToken(page.nextToken());
            page.items().forEach(key -> response.addApiKeys(QuotaMapping.key(key)));
            return response.build();
        });
    }

    @Override
    public void deleteApiKey(DeleteApiKeyRequest request, StreamObserver<DeleteApiKeyResponse> observer) {
        Rpc.unary(observer, () -> {
            plans.deleteKey(Callers.current(), new ApiKeyId(request.getKeyId()));
            return DeleteApiKeyResponse.getDefaultInstance();
        });
    }

    @Override
    public void updateApiKey(UpdateApiKeyRequest request, StreamObserver<UpdateApiKeyResponse> observer) {
        Rpc.unary(observer, () -> UpdateApiKeyResponse.newBuilder()
                .setApiKey(QuotaMapping.key(plans.updateKey(Callers.current(), new ApiKeyId(request.getKeyId()),
                        request.hasEnabled() ? Optional.of(request.getEnabled()) : Optional.empty(),
                        request.hasName() ? Optional.of(request.getName()) : Optional.empty(),
                        request.hasDescription() ? Optional.of(request.getDescription()) : Optional.empty())))
                .build());
    }

    @Override
    public void createUsagePlanKey(CreateUsagePlanKeyRequest request, StreamObserver<CreateUsagePlanKeyResponse> observer) {
        Rpc.unary(observer, () -> CreateUsagePlanKeyResponse.newBuilder()
                .setUsagePlanKey(QuotaMapping.planKey(plans.addKey(Callers.current(), new UsagePlanId(request.getUsagePlanId()),
                        new ApiKeyId(request.getKeyId()))))
                .build());
    }

    @Override
    public void deleteUsagePlanKey(DeleteUsagePlanKeyRequest request, StreamObserver<DeleteUsagePlanKeyResponse> observer) {
        Rpc.unary(observer, () -> {
            plans.removeKey(Callers.current(), new UsagePlanId(request.getUsagePlanId()), new ApiKeyId(request.getKeyId()));
            return DeleteUsagePlanKeyResponse.getDefaultInstance();
        });
    }

    @Override
    public void getUsagePlanKey(GetUsagePlanKeyRequest request, StreamObserver<GetUsagePlanKeyResponse> observer) {
        Rpc.unary(observer, () -> GetUsagePlanKeyResponse.newBuilder()
                .setUsagePlanKey(QuotaMapping.planKey(plans.getPlanKey(Callers.current(), new UsagePlanId(request.getUsagePlanId()),
                        new ApiKeyId(request.getKeyId()))))
                .build());
    }

    @Override
    public void listUsagePlanKeys(ListUsagePlanKeysRequest request, StreamObserver<ListUsagePlanKeysResponse> observer) {
        Rpc.unary(observer, () -> {
            Page<ApiKey> page = plans.listPlanKeys(Callers.current(), new UsagePlanId(request.getUsagePlanId()),
                    request.getPageSize(), request.getPageToken(), request.getNameQuery());
            ListUsagePlanKeysResponse.Builder response = ListUsagePlanKeysResponse.newBuilder().setNextPageToken(page.nextToken());
            page.items().forEach(key -> response.addUsagePlanKeys(QuotaMapping.planKey(key)));
            return response.build();
        });
    }

    @Override
    public void updateUsage(UpdateUsageRequest request, StreamObserver<UpdateUsageResponse> observer) {
        Rpc.unary(observer, () -> UpdateUsageResponse.newBuilder()
                .setToday(QuotaMapping.daily(metering.updateUsage(Callers.current(), new UsagePlanId(request.getUsagePlanId()),
                        new ApiKeyId(request.getKeyId()), request.getRemaining())))
                .build());
    }

    @Override
    public void consumeQuota(ConsumeQuotaRequest request, StreamObserver<ConsumeQuotaResponse> observer) {
        Rpc.unary(observer, () -> {
            UsagePlanId plan = new UsagePlanId(request.getUsagePlanId());
            KeyReference key = switch (request.getKeyCase()) {
                case KEY_ID -> new KeyReference.ById(new ApiKeyId(request.getKeyId()));
                case API_KEY -> new KeyReference.ByValue(new ApiKeyValue(request.getApiKey()));
                default -> throw new InvalidParameterException(ErrorReason.BAD_REQUEST, "key_id", "key_id or api_key is required");
            };
            QuotaDecision decision = metering.consumeQuota(Callers.current(),
                    new ConsumeQuotaCommand(plan, key, request.getCost(), request.getIdempotencyKey()));
            ConsumeQuotaResponse.Builder response = ConsumeQuotaResponse.newBuilder()
                    .setDecision(QuotaMapping.decision(decision.decision()))
                    .setUsed(decision.used())
                    .setPeriodEnd(ProtoTime.timestamp(decision.periodEnd()));
            decision.remaining().ifPresent(response::setRemaining);
            if (!decision.retryAfter().isZero()) {
                response.setRetryAfter(Duration.newBuilder().setSeconds(decision.retryAfter().getSeconds())
                        .setNanos(decision.retryAfter().getNano()));
            }
            return response.build();
        });
    }

    @Override
    public void recordUsage(RecordUsageRequest request, StreamObserver<RecordUsageResponse> observer) {
        Rpc.unary(observer, () -> {
            Instant time = ProtoTime.instant("time", ErrorReason.BAD_REQUEST, request.hasTime(), request.getTime())
                    .orElseThrow(() -> new InvalidParameterException(ErrorReason.BAD_REQUEST, "time", "time is required"));
            metering.recordUsage(Callers.current(), new RecordUsageCommand(new UsagePlanId(request.getUsagePlanId()),
                    new ApiKeyId(request.getKeyId()), time,
                    request.getCount(), request.getIdempotencyKey()));
            return RecordUsageResponse.getDefaultInstance();
        });
    }
}
