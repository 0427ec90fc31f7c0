package dev.tally.grpc;

import static java.util.Objects.requireNonNull;

import dev.tally.domain.common.ApiKeyId;
import dev.tally.domain.common.IdentityId;
import dev.tally.domain.common.IdentityPoolId;
import dev.tally.domain.common.Page;
import dev.tally.domain.common.LargeReads;
import dev.tally.domain.common.LicenseArn;
import dev.tally.domain.license.EntitlementUsage;
import dev.tally.domain.license.port.in.GetLicenseUsageQuery;
import dev.tally.domain.common.UsagePlanId;
import dev.tally.domain.quota.DailyUsage;
import dev.tally.domain.quota.UsageQuery;
import dev.tally.domain.quota.UsageReport;
import dev.tally.domain.quota.port.in.GetUsageQuery;
import dev.tally.domain.sync.IdentityPoolUsage;
import dev.tally.domain.sync.IdentityUsage;
import dev.tally.domain.sync.port.in.DescribeSyncUsage;
import dev.tally.proto.v1.DescribeIdentityPoolUsageRequest;
import dev.tally.proto.v1.DescribeIdentityPoolUsageResponse;
import dev.tally.proto.v1.ListIdentityPoolUsageRequest;
import dev.tally.proto.v1.ListIdentityPoolUsageResponse;
import dev.tally.proto.v1.DescribeIdentityUsageRequest;
import dev.tally.proto.v1.DescribeIdentityUsageResponse;
import dev.tally.proto.v1.GetLicenseUsageRequest;
import dev.tally.proto.v1.GetLicenseUsageResponse;
import dev.tally.proto.v1.GetUsageRequest;
import dev.tally.proto.v1.LicenseUsage;
import dev.tally.proto.v1.GetUsageResponse;
import dev.tally.proto.v1.UsageLog;
import dev.tally.proto.v1.UsageServiceGrpc;
import io.grpc.stub.StreamObserver;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** tally.v1.UsageService: the four usage reads. */
public final class UsageGrpcService extends UsageServiceGrpc.UsageServiceImplBase {

    private final DescribeSyncUsage syncUsage;
    private final GetUsageQuery apiUsage;
    private final GetLicenseUsageQuery licenseUsage;
    private final LargeReads largeReads;

    public UsageGrpcService(DescribeSyncUsage syncUsage, GetUsageQuery apiUsage, GetLicenseUsageQuery licenseUsage,
                            LargeReads largeReads) {
        this.syncUsage = requireNonNull(syncUsage, "syncUsage");
        this.apiUsage = requireNonNull(apiUsage, "apiUsage");
        this.licenseUsage = requireNonNull(licenseUsage, "licenseUsage");
        this.largeReads = requireNonNull(largeReads, "largeReads");
    }

    @Override
    public void getLicenseUsage(GetLicenseUsageRequest request, StreamObserver<GetLicenseUsageResponse> observer) {
        Rpc.unary(observer, () -> {
            LicenseUsage.Builder usage = LicenseUsage.newBuilder();
            for (EntitlementUsage entitlement : licenseUsage.usage(Callers.current(), new LicenseArn(request.getLicenseArn()))) {
                usage.addEntitlementUsages(dev.tally.proto.v1.EntitlementUsage.newBuilder()
                        .setName(entitlement.name())
                        .setConsumedValue(Long.toString(entitlement.consumed()))
                        .setMaxCount(entitlement.maxCount().isPresent() ? Long.toString(entitlement.maxCount().getAsLong()) : "")
                        .setUnit(LicenseMapping.unit(entitlement.unit())));
            }
            return GetLicenseUsageResponse.newBuilder().setLicenseUsage(usage).build();
        });
    }

    @Override
    public void getUsage(GetUsageRequest request, StreamObserver<GetUsageResponse> observer) {
        boolean large = request.getKeyId().isEmpty() && request.getLimit() > LargeReads.LARGE_PAGE_KEYS;
        // The reply is serialized inside the permit too: Rpc.unary hands it to the transport before returning.
        largeReads.read(large, () -> {
            Rpc.unary(observer, () -> usageReport(request));
            return null;
        });
    }

    private GetUsageResponse usageReport(GetUsageRequest request) {
        UsageReport report = apiUsage.getUsage(Callers.current(), new UsageQuery(new UsagePlanId(request.getUsagePlanId()),
                request.getKeyId().isEmpty() ? Optional.empty() : Optional.of(new ApiKeyId(request.getKeyId())),
                request.getStartDate(), request.getEndDate(), request.getPosition(), request.getLimit()));
        GetUsageResponse.Builder response = GetUsageResponse.newBuilder()
                .setUsagePlanId(report.plan().value())
                .setStartDate(report.start().toString())
                .setEndDate(report.end().toString())
                .setPosition(report.position());
        // Every key of the page has the same days: format each date once.
        Map<LocalDate, String> dates = new HashMap<>();
        report.items().forEach((key, days) -> {
            UsageLog.Builder log = UsageLog.newBuilder();
            for (DailyUsage day : days) {
                log.addDays(QuotaMapping.daily(day, dates.computeIfAbsent(day.date(), LocalDate::toString)));
            }
            response.putItems(key.value(), log.build());
        });
        return response.build();
    }

    @Override
    public void describeIdentityUsage(DescribeIdentityUsageRequest request, StreamObserver<DescribeIdentityUsageResponse> observer) {
        Rpc.unary(observer, () -> {
            IdentityUsage usage = syncUsage.describeIdentityUsage(Callers.current(),
                    new IdentityPoolId(request.getIdentityPoolId()), new IdentityId(request.getIdentityId()));
            return DescribeIdentityUsageResponse.newBuilder().setIdentityUsage(dev.tally.proto.v1.IdentityUsage.newBuilder()
                    .setIdentityId(usage.identity().value())
                    .setIdentityPoolId(usage.pool().value())
                    .setLastModifiedDate(ProtoTime.timestamp(usage.lastModified()))
                    .setDatasetCount(usage.datasetCount())
                    .setDataStorage(usage.dataStorage()))
                    .build();
        });
    }

    @Override
    public void describeIdentityPoolUsage(DescribeIdentityPoolUsageRequest request,
                                          StreamObserver<DescribeIdentityPoolUsageResponse> observer) {
        Rpc.unary(observer, () -> {
            IdentityPoolUsage usage = syncUsage.describeIdentityPoolUsage(Callers.current(),
                    new IdentityPoolId(request.getIdentityPoolId()));
            return DescribeIdentityPoolUsageResponse.newBuilder().setIdentityPoolUsage(poolUsage(usage)).build();
        });
    }

    @Override
    public void listIdentityPoolUsage(ListIdentityPoolUsageRequest request, StreamObserver<ListIdentityPoolUsageResponse> observer) {
        Rpc.unary(observer, () -> {
            Page<IdentityPoolUsage> page = syncUsage.listIdentityPoolUsage(Callers.current(), request.getMaxResults(), request.getNextToken());
            ListIdentityPoolUsageResponse.Builder response = ListIdentityPoolUsageResponse.newBuilder()
                    .setNextToken(page.nextToken()).setCount(page.items().size());
            page.items().forEach(usage -> response.addIdentityPoolUsages(poolUsage(usage)));
            return response.build();
        });
    }

    private static dev.tally.proto.v1.IdentityPoolUsage poolUsage(IdentityPoolUsage usage) {
        dev.tally.proto.v1.IdentityPoolUsage.Builder proto = dev.tally.proto.v1.IdentityPoolUsage.newBuilder()
                .setIdentityPoolId(usage.pool().value())
                .setDataStorage(usage.dataStorage())
                .setLastModifiedDate(ProtoTime.timestamp(usage.lastModified()));
        usage.syncSessionsCount().ifPresent(proto::setSyncSessionsCount);
        return proto.build();
    }
}
