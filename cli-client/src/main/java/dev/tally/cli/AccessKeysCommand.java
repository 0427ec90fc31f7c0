package dev.tally.cli;

import dev.tally.proto.v1.AccessKey;
import dev.tally.proto.v1.AccessServiceGrpc;
import dev.tally.proto.v1.CreateAccessKeyRequest;
import dev.tally.proto.v1.CreateAccessKeyResponse;
import dev.tally.proto.v1.DeleteAccessKeyRequest;
import dev.tally.proto.v1.DeleteAccessKeyResponse;
import dev.tally.proto.v1.ListAccessKeysRequest;
import dev.tally.proto.v1.ListAccessKeysResponse;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "access-keys", description = "Access keys: SigV4 credentials for AWS SDKs and the AWS CLI (the HTTP endpoint).",
        subcommands = {AccessKeysCommand.Create.class, AccessKeysCommand.ListKeys.class, AccessKeysCommand.Delete.class})
final class AccessKeysCommand {

    private static final List<String> HEADERS = List.of("ACCESS_KEY_ID", "DESCRIPTION", "DEVELOPER_KEY", "CREATED");

    static List<String> row(AccessKey key) {
        return List.of(key.getAccessKeyId(), key.getDescription(), key.getDeveloperKeyId(), Output.time(key.getCreateDate()));
    }

    @Command(name = "create", description = "Creates an access key acting as your developer key and prints its secret (shown only once).")
    static final class Create extends TallyCommand {
        @Option(names = "--description", defaultValue = "", description = "What the key is for.")
        String description;

        @Override
        int run(Session session, Output output) {
            CreateAccessKeyResponse response = session.stub(AccessServiceGrpc::newBlockingStub)
                    .createAccessKey(CreateAccessKeyRequest.newBuilder().setDescription(description).build());
            output.print(response, List.of("ACCESS_KEY_ID", "SECRET_ACCESS_KEY", "CREATED"),
                    List.of(List.of(response.getAccessKey().getAccessKeyId(), response.getSecretAccessKey(),
                            Output.time(response.getAccessKey().getCreateDate()))));
            return 0;
        }
    }

    @Command(name = "list", description = "Lists access keys (never their secrets).")
    static final class ListKeys extends TallyCommand {
        @Mixin
        PageOptions paging;

        @Override
        int run(Session session, Output output) {
            var stub = session.stub(AccessServiceGrpc::newBlockingStub);
            ListAccessKeysResponse response = paging.fetch(spec, (size, token) -> stub.listAccessKeys(
                    ListAccessKeysRequest.newBuilder().setPageSize(size).setPageToken(token).build()));
            output.print(response, HEADERS, response.getAccessKeysList().stream().map(AccessKeysCommand::row).toList());
            return 0;
        }
    }

    @Command(name = "delete", description = "Deletes an access key: requests signed with it are refused from then on.")
    static final class Delete extends TallyCommand {
        @Parameters(paramLabel = "ACCESS_KEY_ID", description = "The access key to delete.")
        String accessKeyId;

        @picocli.CommandLine.Mixin
        Confirmation confirmation;

        @Override
        int run(Session session, Output output) {
            confirmation.confirm("delete access key " + accessKeyId);
            DeleteAccessKeyResponse response = session.stub(AccessServiceGrpc::newBlockingStub)
                    .deleteAccessKey(DeleteAccessKeyRequest.newBuilder().setAccessKeyId(accessKeyId).build());
            output.print(response, List.of("DELETED"), List.of(List.of(accessKeyId)));
            return 0;
        }
    }
}
