package dev.tally.cli;

import dev.tally.proto.v1.CreateIdentityRequest;
import dev.tally.proto.v1.CreateIdentityResponse;
import dev.tally.proto.v1.DescribeIdentityRequest;
import dev.tally.proto.v1.DescribeIdentityResponse;
import dev.tally.proto.v1.DescribeIdentityUsageRequest;
import dev.tally.proto.v1.DescribeIdentityUsageResponse;
import dev.tally.proto.v1.Identity;
import dev.tally.proto.v1.IdentityUsage;
import dev.tally.proto.v1.ListIdentitiesRequest;
import dev.tally.proto.v1.ListIdentitiesResponse;
import dev.tally.proto.v1.SyncServiceGrpc;
import dev.tally.proto.v1.UsageServiceGrpc;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "identities", description = "Identities of identity pools.", subcommands = {IdentitiesCommand.Create.class,
        IdentitiesCommand.ListIdentities.class, IdentitiesCommand.Describe.class, IdentitiesCommand.Usage.class})
final class IdentitiesCommand {

    private static final List<String> HEADERS = List.of("IDENTITY_ID", "POOL_ID", "CREATED", "LAST_MODIFIED");

    private static List<String> row(Identity identity) {
        return List.of(identity.getIdentityId(), identity.getIdentityPoolId(), Output.time(identity.getCreationDate()),
                Output.time(identity.getLastModifiedDate()));
    }

    @Command(name = "list", description = "Lists a pool's identities.")
    static final class ListIdentities extends TallyCommand {
        @Option(names = "--pool", required = true, description = "The identity pool id.")
        String pool;

        @Mixin
        PageOptions paging;

        @Override
        int run(Session session, Output output) {
            var stub = session.stub(SyncServiceGrpc::newBlockingStub);
            ListIdentitiesResponse response = paging.fetch(spec, (size, token) -> stub.listIdentities(ListIdentitiesRequest.newBuilder()
                    .setIdentityPoolId(pool).setPageSize(size).setPageToken(token).build()));
            output.print(response, HEADERS, response.getIdentitiesList().stream().map(IdentitiesCommand::row).toList());
            return 0;
        }
    }

    @Command(name = "describe", description = "Shows one identity, found by its id alone.")
    static final class Describe extends TallyCommand {
        @Parameters(paramLabel = "IDENTITY_ID", description = "The identity id.")
        String identity;

        @Override
        int run(Session session, Output output) {
            DescribeIdentityResponse response = session.stub(SyncServiceGrpc::newBlockingStub)
                    .describeIdentity(DescribeIdentityRequest.newBuilder().setIdentityId(identity).build());
            output.print(response, HEADERS, List.of(row(response.getIdentity())));
            return 0;
        }
    }

    @Command(name = "create", description = "Creates an identity in a pool.")
    static final class Create extends TallyCommand {
        @Option(names = "--pool", required = true, description = "The identity pool id.")
        String pool;

        @Override
        int run(Session session, Output output) {
            CreateIdentityResponse response = session.stub(SyncServiceGrpc::newBlockingStub)
                    .createIdentity(CreateIdentityRequest.newBuilder().setIdentityPoolId(pool).build());
            output.print(response, List.of("IDENTITY_ID", "POOL_ID"), List.of(List.of(response.getIdentityId(), pool)));
            return 0;
        }
    }

    @Command(name = "usage", description = "Shows an identity's datasets, bytes stored and last change.")
    static final class Usage extends TallyCommand {
        @Parameters(paramLabel = "IDENTITY_ID", arity = "0..1", description = "The identity id.")
        String identity;

        @Option(names = "--pool", required = true, description = "The identity pool id.")
        String pool;

        @Option(names = "--identity", hidden = true, description = "Old form of IDENTITY_ID.")
        void identityOption(String id) {
            identity = id;
        }

        @Override
        int run(Session session, Output output) {
            TallyCommand.require(identity, "IDENTITY_ID", "tally identities usage us-east-1:5f2c... --pool us-east-1:0b1e...");
            DescribeIdentityUsageResponse response = session.stub(UsageServiceGrpc::newBlockingStub)
                    .describeIdentityUsage(DescribeIdentityUsageRequest.newBuilder()
                            .setIdentityPoolId(pool).setIdentityId(identity).build());
            IdentityUsage usage = response.getIdentityUsage();
            output.print(response, List.of("IDENTITY_ID", "DATASETS", "DATA_STORAGE", "LAST_MODIFIED"),
                    List.of(List.of(usage.getIdentityId(), Long.toString(usage.getDatasetCount()),
                            output.bytes(usage.getDataStorage()), Output.time(usage.getLastModifiedDate()))));
            return 0;
        }
    }
}
