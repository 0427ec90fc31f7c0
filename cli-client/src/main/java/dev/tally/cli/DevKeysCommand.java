package dev.tally.cli;

import dev.tally.proto.v1.AccessServiceGrpc;
import dev.tally.proto.v1.CreateDeveloperKeyRequest;
import dev.tally.proto.v1.CreateDeveloperKeyResponse;
import dev.tally.proto.v1.DeveloperKey;
import dev.tally.proto.v1.ListDeveloperKeysRequest;
import dev.tally.proto.v1.ListDeveloperKeysResponse;
import dev.tally.proto.v1.RevokeDeveloperKeyRequest;
import dev.tally.proto.v1.RevokeDeveloperKeyResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "dev-keys", description = "Developer keys: full-access credentials.",
        subcommands = {DevKeysCommand.Create.class, DevKeysCommand.ListKeys.class, DevKeysCommand.Revoke.class})
final class DevKeysCommand {

    private static final List<String> HEADERS = List.of("KEY_ID", "NAME", "CREATED", "REVOKED");

    static List<String> row(DeveloperKey key) {
        return List.of(key.getKeyId(), key.getName(), Output.time(key.getCreateDate()), Output.time(key.getRevokeDate()));
    }

    @Command(name = "create", description = "Creates a developer key and prints its token (shown only once).")
    static final class Create extends TallyCommand {
        @Option(names = "--name", required = true, description = "A name for the key.")
        String name;

        @Override
        int run(Session session, Output output) {
            CreateDeveloperKeyResponse response = session.stub(AccessServiceGrpc::newBlockingStub)
                    .createDeveloperKey(CreateDeveloperKeyRequest.newBuilder().setName(name).build());
            output.print(response, List.of("KEY_ID", "TOKEN", "CREATED"),
                    List.of(List.of(response.getKeyId(), response.getToken(), Output.time(response.getCreateDate()))));
            return 0;
        }
    }

    @Command(name = "list", description = "Lists developer keys (never their tokens).")
    static final class ListKeys extends TallyCommand {
        @Mixin
        PageOptions paging;

        @Override
        int run(Session session, Output output) {
            var stub = session.stub(AccessServiceGrpc::newBlockingStub);
            ListDeveloperKeysResponse response = paging.fetch(spec, (size, token) -> stub.listDeveloperKeys(
                    ListDeveloperKeysRequest.newBuilder().setPageSize(size).setPageToken(token).build()));
            output.print(response, HEADERS, response.getDeveloperKeysList().stream().map(DevKeysCommand::row).toList());
            return 0;
        }
    }

    /** Whether the token this CLI uses stopped working: then the key just revoked was its own. */
    private static boolean tokenDied(AccessServiceGrpc.AccessServiceBlockingStub stub) {
        try {
            stub.listDeveloperKeys(ListDeveloperKeysRequest.newBuilder().setPageSize(1).build());
            return false;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode() == Status.Code.UNAUTHENTICATED;
        }
    }

    @Command(name = "revoke", description = "Revokes a developer key; the last active key cannot be revoked."
            + " If it is the key you are using, it says so: your token stops working.")
    static final class Revoke extends TallyCommand {
        @Parameters(paramLabel = "KEY_ID", description = "The key to revoke.")
        String keyId;

        @picocli.CommandLine.Mixin
        Confirmation confirmation;

        @Override
        int run(Session session, Output output) {
            confirmation.confirm("revoke developer key " + keyId + " (its access keys and the identity tokens it issued die with it)");
            var stub = session.stub(AccessServiceGrpc::newBlockingStub);
            RevokeDeveloperKeyResponse response = stub.revokeDeveloperKey(RevokeDeveloperKeyRequest.newBuilder().setKeyId(keyId).build());
            output.print(response, HEADERS, List.of(row(response.getDeveloperKey())));
            if (tokenDied(stub)) {
                spec.commandLine().getErr().println("note: " + keyId + " was the key this CLI is using: its token no longer works."
                        + " Use another developer key's token (--token, TALLY_TOKEN or --token-file).");
            }
            return 0;
        }
    }
}
