package dev.tally.grpc;

import static java.util.Objects.requireNonNull;

import dev.tally.domain.common.IdentityId;
import dev.tally.domain.common.IdentityPoolId;
import dev.tally.domain.sync.IdentityPoolUsage;
import dev.tally.domain.sync.IdentityUsage;
import dev.tally.domain.sync.port.in.DescribeSyncUsage;
import dev.tally.proto.v1.DescribeIdentityPoolUsageRequest;
import dev.tally.proto.v1.DescribeIdentityPoolUsageResponse;
import dev.tally.proto.v1.DescribeIdentityUsageRequest;
import dev.tally.proto.v1.DescribeIdentityUsageResponse;
import dev.tally.proto.v1.UsageServiceGrpc;
import io.grpc.stub.StreamObserver;

/**
 * tally.v1.UsageService. The identity sync reads are served; GetUsage and GetLicenseUsage are not yet and
 * answer UNIMPLEMENTED (the generated base class's default) rather than pretend.
 */
public final class UsageGrpcService extends UsageServiceGrpc.UsageServiceImplBase {

    private final DescribeSyncUsage syncUsage;

    public UsageGrpcService(DescribeSyncUsage syncUsage) {
        this.syncUsage = requireNonNull(syncUsage, "syncUsage");
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
            dev.tally.proto.v1.IdentityPoolUsage.Builder proto = dev.tally.proto.v1.IdentityPoolUsage.newBuilder()
                    .setIdentityPoolId(usage.pool().value())
                    .setDataStorage(usage.dataStorage())
                    .setLastModifiedDate(ProtoTime.timestamp(usage.lastModified()));
            usage.syncSessionsCount().ifPresent(proto::setSyncSessionsCount);
            return DescribeIdentityPoolUsageResponse.newBuilder().setIdentityPoolUsage(proto).build();
        });
    }
}
