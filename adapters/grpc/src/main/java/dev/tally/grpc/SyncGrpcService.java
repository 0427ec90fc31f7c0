package dev.tally.grpc;

import static java.util.Objects.requireNonNull;

import dev.tally.domain.common.IdentityPoolId;
import dev.tally.domain.common.Page;
import dev.tally.domain.sync.IdentityPool;
import dev.tally.domain.sync.port.in.ManageIdentityPools;
import dev.tally.proto.v1.CreateIdentityPoolRequest;
import dev.tally.proto.v1.CreateIdentityPoolResponse;
import dev.tally.proto.v1.CreateIdentityRequest;
import dev.tally.proto.v1.CreateIdentityResponse;
import dev.tally.proto.v1.ListIdentityPoolsRequest;
import dev.tally.proto.v1.ListIdentityPoolsResponse;
import dev.tally.proto.v1.SyncServiceGrpc;
import io.grpc.stub.StreamObserver;

/**
 * tally.v1.SyncService: identity pools and identities. The dataset and record RPCs are not served yet and
 * answer UNIMPLEMENTED (the generated base class's default) rather than pretend.
 */
public final class SyncGrpcService extends SyncServiceGrpc.SyncServiceImplBase {

    private final ManageIdentityPools pools;

    public SyncGrpcService(ManageIdentityPools pools) {
        this.pools = requireNonNull(pools, "pools");
    }

    @Override
    public void createIdentityPool(CreateIdentityPoolRequest request, StreamObserver<CreateIdentityPoolResponse> observer) {
        Rpc.unary(observer, () -> CreateIdentityPoolResponse.newBuilder()
                .setIdentityPool(toProto(pools.createPool(Callers.current(), request.getIdentityPoolName())))
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

    private static dev.tally.proto.v1.IdentityPool toProto(IdentityPool pool) {
        return dev.tally.proto.v1.IdentityPool.newBuilder()
                .setIdentityPoolId(pool.id().value())
                .setIdentityPoolName(pool.name())
                .setCreateDate(ProtoTime.timestamp(pool.createdAt()))
                .build();
    }
}
