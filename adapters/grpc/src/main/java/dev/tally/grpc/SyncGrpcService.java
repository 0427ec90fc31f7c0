package dev.tally.grpc;

import static java.util.Objects.requireNonNull;

import dev.tally.domain.common.IdentityId;
import dev.tally.domain.common.IdentityPoolId;
import dev.tally.domain.common.Page;
import dev.tally.domain.sync.Dataset;
import dev.tally.domain.sync.DatasetName;
import dev.tally.domain.sync.IdentityDescription;
import dev.tally.domain.sync.IdentityPool;
import dev.tally.domain.sync.ListRecordsQuery;
import dev.tally.domain.sync.ListRecordsResult;
import dev.tally.domain.sync.UpdateRecordsCommand;
import dev.tally.domain.sync.port.in.ManageIdentityPools;
import dev.tally.domain.sync.port.in.SyncDatasets;
import dev.tally.proto.v1.CreateIdentityPoolRequest;
import dev.tally.proto.v1.CreateIdentityPoolResponse;
import dev.tally.proto.v1.CreateIdentityRequest;
import dev.tally.proto.v1.CreateIdentityResponse;
import dev.tally.proto.v1.DeleteDatasetRequest;
import dev.tally.proto.v1.DeleteIdentityPoolRequest;
import dev.tally.proto.v1.DeleteIdentityPoolResponse;
import dev.tally.proto.v1.DescribeDatasetRequest;
import dev.tally.proto.v1.DescribeDatasetResponse;
import dev.tally.proto.v1.DescribeIdentityPoolRequest;
import dev.tally.proto.v1.DescribeIdentityPoolResponse;
import dev.tally.proto.v1.DescribeIdentityRequest;
import dev.tally.proto.v1.DescribeIdentityResponse;
import dev.tally.proto.v1.ListIdentitiesRequest;
import dev.tally.proto.v1.ListIdentitiesResponse;
import dev.tally.proto.v1.DeleteDatasetResponse;
import dev.tally.proto.v1.ListDatasetsRequest;
import dev.tally.proto.v1.ListDatasetsResponse;
import dev.tally.proto.v1.ListIdentityPoolsRequest;
import dev.tally.proto.v1.ListIdentityPoolsResponse;
import dev.tally.proto.v1.ListRecordsRequest;
import dev.tally.proto.v1.ListRecordsResponse;
import dev.tally.proto.v1.SyncServiceGrpc;
import dev.tally.proto.v1.UpdateRecordsRequest;
import dev.tally.proto.v1.UpdateRecordsResponse;
import io.grpc.stub.StreamObserver;

/** tally.v1.SyncService: identity pools, identities, and their datasets and records. */
public final class SyncGrpcService extends SyncServiceGrpc.SyncServiceImplBase {

    private final ManageIdentityPools pools;
    private final SyncDatasets datasets;

    public SyncGrpcService(ManageIdentityPools pools, SyncDatasets datasets) {
        this.pools = requireNonNull(pools, "pools");
        this.datasets = requireNonNull(datasets, "datasets");
    }

    @Override
    public void createIdentityPool(CreateIdentityPoolRequest request, StreamObserver<CreateIdentityPoolResponse> observer) {
        Rpc.unary(observer, () -> CreateIdentityPoolResponse.newBuilder()
                .setIdentityPool(toProto(pools.createPool(Callers.current(), request.getIdentityPoolName())))
                .build());
    }

    @Override
    public void describeIdentityPool(DescribeIdentityPoolRequest request, StreamObserver<DescribeIdentityPoolResponse> observer) {
        Rpc.unary(observer, () -> DescribeIdentityPoolResponse.newBuilder()
                .setIdentityPool(toProto(pools.describePool(Callers.current(), new IdentityPoolId(request.getIdentityPoolId()))))
                .build());
    }

    @Override
    public void deleteIdentityPool(DeleteIdentityPoolRequest request, StreamObserver<DeleteIdentityPoolResponse> observer) {
        Rpc.unary(observer, () -> {
            pools.deletePool(Callers.current(), new IdentityPoolId(request.getIdentityPoolId()));
            return DeleteIdentityPoolResponse.getDefaultInstance();
        });
    }

    @Override
    public void listIdentities(ListIdentitiesRequest request, StreamObserver<ListIdentitiesResponse> observer) {
        Rpc.unary(observer, () -> {
            Page<IdentityDescription> page = pools.listIdentities(Callers.current(), new IdentityPoolId(request.getIdentityPoolId()),
                    request.getPageSize(), request.getPageToken());
            ListIdentitiesResponse.Builder response = ListIdentitiesResponse.newBuilder().setNextPageToken(page.nextToken());
            page.items().forEach(identity -> response.addIdentities(toProto(identity)));
            return response.build();
        });
    }

    @Override
    public void describeIdentity(DescribeIdentityRequest request, StreamObserver<DescribeIdentityResponse> observer) {
        Rpc.unary(observer, () -> DescribeIdentityResponse.newBuilder()
                .setIdentity(toProto(pools.describeIdentity(Callers.current(), new IdentityId(request.getIdentityId()))))
                .build());
    }

    @Override
    public void listIdentityPools(ListIdentityPoolsRequest request, StreamObserver<ListIdentityPoolsResponse> observer) {
        Rpc.unary(observer, () -> {
            Page<IdentityPool> page = pools.listPools(Callers.current(), request.getPageSize(), request.getPageToken());
            ListIdentityPoolsResponse.Builder response = ListIdentityPoolsResponse.newBuilder().setNextPageToken(page.nextToken());
            page.items().forEach(pool -> response.addIdentityPools(toProto(pool)));
            return response.build();
        });
    }

    @Override
    public void createIdentity(CreateIdentityRequest request, StreamObserver<CreateIdentityResponse> observer) {
        Rpc.unary(observer, () -> CreateIdentityResponse.newBuilder()
                .setIdentityId(pools.createIdentity(Callers.current(), new IdentityPoolId(request.getIdentityPoolId())).value())
                .build());
    }

    @Override
    public void listRecords(ListRecordsRequest request, StreamObserver<ListRecordsResponse> observer) {
        Rpc.unary(observer, () -> {
            ListRecordsResult result = datasets.listRecords(Callers.current(), new ListRecordsQuery(
                    new IdentityPoolId(request.getIdentityPoolId()), new IdentityId(request.getIdentityId()),
                    new DatasetName(request.getDatasetName()), request.getLastSyncCount(), request.getNextToken(),
                    request.getMaxResults(), request.getSyncSessionToken()));
            ListRecordsResponse.Builder response = ListRecordsResponse.newBuilder()
                    .setNextToken(result.nextToken())
                    .setCount(result.records().size())
                    .setDatasetSyncCount(result.datasetSyncCount())
                    .setDatasetExists(result.datasetExists())
                    .setSyncSessionToken(result.sessionToken());
            result.records().forEach(record -> response.addRecords(SyncMapping.record(record)));
            return response.build();
        });
    }

    @Override
    public void updateRecords(UpdateRecordsRequest request, StreamObserver<UpdateRecordsResponse> observer) {
        Rpc.unary(observer, () -> {
            UpdateRecordsCommand command = new UpdateRecordsCommand(new IdentityPoolId(request.getIdentityPoolId()),
                    new IdentityId(request.getIdentityId()), new DatasetName(request.getDatasetName()),
                    request.getSyncSessionToken(), request.getDeviceId(), SyncMapping.patches(request.getRecordPatchesList()));
            UpdateRecordsResponse.Builder response = UpdateRecordsResponse.newBuilder();
            datasets.updateRecords(Callers.current(), command).forEach(record -> response.addRecords(SyncMapping.record(record)));
            return response.build();
        });
    }

    @Override
    public void listDatasets(ListDatasetsRequest request, StreamObserver<ListDatasetsResponse> observer) {
        Rpc.unary(observer, () -> {
            Page<Dataset> page = datasets.listDatasets(Callers.current(), new IdentityPoolId(request.getIdentityPoolId()),
                    new IdentityId(request.getIdentityId()), request.getNextToken(), request.getMaxResults());
            ListDatasetsResponse.Builder response = ListDatasetsResponse.newBuilder()
                    .setNextToken(page.nextToken()).setCount(page.items().size());
            page.items().forEach(dataset -> response.addDatasets(SyncMapping.dataset(dataset)));
            return response.build();
        });
    }

    @Override
    public void describeDataset(DescribeDatasetRequest request, StreamObserver<DescribeDatasetResponse> observer) {
        Rpc.unary(observer, () -> DescribeDatasetResponse.newBuilder()
                .setDataset(SyncMapping.dataset(datasets.describeDataset(Callers.current(),
                        new IdentityPoolId(request.getIdentityPoolId()), new IdentityId(request.getIdentityId()),
                        new DatasetName(request.getDatasetName()))))
                .build());
    }

    @Override
    public void deleteDataset(DeleteDatasetRequest request, StreamObserver<DeleteDatasetResponse> observer) {
        Rpc.unary(observer, () -> DeleteDatasetResponse.newBuilder()
                .setDataset(SyncMapping.dataset(datasets.deleteDataset(Callers.current(),
                        new IdentityPoolId(request.getIdentityPoolId()), new IdentityId(request.getIdentityId()),
                        new DatasetName(request.getDatasetName()))))
                .build());
    }

    private static dev.tally.proto.v1.Identity toProto(IdentityDescription identity) {
        return dev.tally.proto.v1.Identity.newBuilder()
                .setIdentityId(identity.identity().value())
                .setIdentityPoolId(identity.pool().value())
                .setCreationDate(ProtoTime.timestamp(identity.createdAt()))
                .setLastModifiedDate(ProtoTime.timestamp(identity.lastModified()))
                .build();
    }

    private static dev.tally.proto.v1.IdentityPool toProto(IdentityPool pool) {
        return dev.tally.proto.v1.IdentityPool.newBuilder()
                .setIdentityPoolId(pool.id().value())
                .setIdentityPoolName(pool.name())
                .setCreateDate(ProtoTime.timestamp(pool.createdAt()))
                .build();
    }
}
