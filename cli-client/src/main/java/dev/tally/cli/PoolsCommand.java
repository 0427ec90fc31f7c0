package dev.tally.cli;

import dev.tally.proto.v1.CreateIdentityPoolRequest;
import dev.tally.proto.v1.CreateIdentityPoolResponse;
import dev.tally.proto.v1.DeleteIdentityPoolRequest;
import dev.tally.proto.v1.DeleteIdentityPoolResponse;
import dev.tally.proto.v1.DescribeIdentityPoolRequest;
import dev.tally.proto.v1.DescribeIdentityPoolResponse;
import dev.tally.proto.v1.DescribeIdentityPoolUsageRequest;
import dev.tally.proto.v1.DescribeIdentityPoolUsageResponse;
import dev.tally.proto.v1.IdentityPool;
import dev.tally.proto.v1.IdentityPoolUsage;
import dev.tally.proto.v1.ListIdentityPoolUsageRequest;
import dev.tally.proto.v1.ListIdentityPoolUsageResponse;
import dev.tally.proto.v1.ListIdentityPoolsRequest;
import dev.tally.proto.v1.ListIdentityPoolsResponse;
import dev.tally.proto.v1.SyncServiceGrpc;
import dev.tally.proto.v1.UsageServiceGrpc;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "pools", description = "Identity pools.", subcommands = {PoolsCommand.Create.class, PoolsCommand.Describe.class,
        PoolsCommand.ListPools.class, PoolsCommand.Delete.class, PoolsCommand.Usage.class})
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

    @Command(name = "describe", description = "Shows one identity pool.")
    static final class Describe extends TallyCommand {
        @Parameters(paramLabel = "POOL_ID", description = "The identity pool id.")
        String pool;

        @Override
        int run(Session session, Output output) {
            DescribeIdentityPoolResponse response = session.stub(SyncServiceGrpc::newBlockingStub)
                    .describeIdentityPool(DescribeIdentityPoolRequest.newBuilder().setIdentityPoolId(pool).build());
            output.print(response, HEADERS, List.of(row(response.getIdentityPool())));
            return 0;
        }
    }

    @Command(name = "delete", description = "Deletes a pool for good, with its identities, their tokens, datasets, records and usage.")
    static final class Delete extends TallyCommand {
        @Parameters(paramLabel = "POOL_ID", description = "The identity pool id.")
        String pool;

        @Mixin
        Confirmation confirmation;

        @Override
        int run(Session session, Output output) {
            confirmation.confirm("delete identity pool " + pool + " with all its identities, datasets and records");
            DeleteIdentityPoolResponse response = session.stub(SyncServiceGrpc::newBlockingStub)
                    .deleteIdentityPool(DeleteIdentityPoolRequest.newBuilder().setIdentityPoolId(pool).build());
            output.print(response, List.of("DELETED"), List.of(List.of(pool)));
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

    @Command(name = "usage", description = "Shows a pool's sync sessions, bytes stored and last change; without POOL_ID, every pool's.")
    static final class Usage extends TallyCommand {
        private static final List<String> USAGE_HEADERS = List.of("POOL_ID", "SYNC_SESSIONS", "DATA_STORAGE", "LAST_MODIFIED");

        @Parameters(paramLabel = "POOL_ID", arity = "0..1", description = "The identity pool id; leave it out for every pool.")
        String pool;

        @Option(names = "--pool", hidden = true, description = "Old form of POOL_ID.")
        void poolOption(String id) {
            pool = id;
        }

        @Mixin
        PageOptions paging;

        @Override
        int run(Session session, Output output) {
            var stub = session.stub(UsageServiceGrpc::newBlockingStub);
            if (pool == null) {
                ListIdentityPoolUsageResponse response = paging.fetch(spec, "next_token", (size, token) -> stub.listIdentityPoolUsage(
                        ListIdentityPoolUsageRequest.newBuilder().setMaxResults(size).setNextToken(token).build()));
                response = response.toBuilder().setCount(response.getIdentityPoolUsagesCount()).build();
                output.print(response, USAGE_HEADERS, response.getIdentityPoolUsagesList().stream().map(u -> row(u, output)).toList());
                return 0;
            }
            DescribeIdentityPoolUsageResponse response = stub.describeIdentityPoolUsage(
                    DescribeIdentityPoolUsageRequest.newBuilder().setIdentityPoolId(pool).build());
            output.print(response, USAGE_HEADERS, List.of(row(response.getIdentityPoolUsage(), output)));
            return 0;
        }

        private static List<String> row(IdentityPoolUsage usage, Output output) {
            return List.of(usage.getIdentityPoolId(), usage.hasSyncSessionsCount() ? Long.toString(usage.getSyncSessionsCount()) : "-",
                    output.bytes(usage.getDataStorage()), Output.time(usage.getLastModifiedDate()));
        }
    }
}
