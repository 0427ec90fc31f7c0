package dev.tally.cli;

import dev.tally.proto.v1.CreateIdentityPoolRequest;
import dev.tally.proto.v1.CreateIdentityPoolResponse;
import dev.tally.proto.v1.DescribeIdentityPoolUsageRequest;
import dev.tally.proto.v1.DescribeIdentityPoolUsageResponse;
import dev.tally.proto.v1.IdentityPool;
import dev.tally.proto.v1.IdentityPoolUsage;
import dev.tally.proto.v1.ListIdentityPoolsRequest;
import dev.tally.proto.v1.ListIdentityPoolsResponse;
import dev.tally.proto.v1.SyncServiceGrpc;
import dev.tally.proto.v1.UsageServiceGrpc;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "pools", description = "Identity pools.", subcommands = {PoolsCommand.Create.class, PoolsCommand.ListPools.class, PoolsCommand.Usage.class})
final class PoolsCommand {

    private static final List<String> HEADERS = List.of("POOL_ID", "NAME", "CREATED");

    static List<String> row(IdentityPool pool) {
        return List.of(pool.getIdentityPoolId(), pool.getIdentityPoolName(), Output.time(pool.getCreateDate()));
    }

    @Command(name = "create", description = "Creates an identity pool.")
    static final class Create extends TallyCommand {
        @Option(names = "--name", required = true, description = "The pool's name: letters, digits, '_' and spaces.")
        String name;

        @Override
        int run(Session session, Output output) {
            CreateIdentityPoolResponse response = session.stub(SyncServiceGrpc::newBlockingStub)
                    .createIdentityPool(CreateIdentityPoolRequest.newBuilder().setIdentityPoolName(name).build());
            output.print(response, HEADERS, List.of(row(response.getIdentityPool())));
            return 0;
        }
    }

    @Command(name = "list", description = "Lists identity pools.")
    static final class ListPools extends TallyCommand {
        @Mixin
        PageOptions paging;

        @Override
        int run(Session session, Output output) {
            var stub = session.stub(SyncServiceGrpc::newBlockingStub);
            ListIdentityPoolsResponse response = paging.fetch(spec, (size, token) -> stub.listIdentityPools(
                    ListIdentityPoolsRequest.newBuilder().setPageSize(size).setPageToken(token).build()));
            output.print(response, HEADERS, response.getIdentityPoolsList().stream().map(PoolsCommand::row).toList());
            return 0;
        }
    }

    @Command(name = "usage", description = "Shows a pool's sync sessions, bytes stored and last change.")
    static final class Usage extends TallyCommand {
        @Parameters(paramLabel = "POOL_ID", arity = "0..1", description = "The identity pool id.")
        String pool;

        @Option(names = "--pool", hidden = true, description = "Old form of POOL_ID.")
        void poolOption(String id) {
            pool = id;
        }

        @Override
        int run(Session session, Output output) {
            TallyCommand.require(pool, "POOL_ID", "tally pools usage us-east-1:0b1e...");
            DescribeIdentityPoolUsageResponse response = session.stub(UsageServiceGrpc::newBlockingStub)
                    .describeIdentityPoolUsage(DescribeIdentityPoolUsageRequest.newBuilder().setIdentityPoolId(pool).build());
            IdentityPoolUsage usage = response.getIdentityPoolUsage();
            output.print(response, List.of("POOL_ID", "SYNC_SESSIONS", "DATA_STORAGE", "LAST_MODIFIED"),
                    List.of(List.of(usage.getIdentityPoolId(),
                            usage.hasSyncSessionsCount() ? Long.toString(usage.getSyncSessionsCount()) : "-",
                            output.bytes(usage.getDataStorage()), Output.time(usage.getLastModifiedDate()))));
            return 0;
        }
    }
}
