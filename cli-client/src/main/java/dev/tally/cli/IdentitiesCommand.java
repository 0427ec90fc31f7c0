package dev.tally.cli;

import dev.tally.proto.v1.CreateIdentityRequest;
import dev.tally.proto.v1.CreateIdentityResponse;
import dev.tally.proto.v1.SyncServiceGrpc;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "identities", description = "Identities of identity pools.", subcommands = IdentitiesCommand.Create.class)
final class IdentitiesCommand {

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
}
