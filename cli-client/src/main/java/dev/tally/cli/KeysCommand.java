package dev.tally.cli;

import dev.tally.proto.v1.ApiKey;
import dev.tally.proto.v1.CreateApiKeyRequest;
import dev.tally.proto.v1.CreateApiKeyResponse;
import dev.tally.proto.v1.ListApiKeysRequest;
import dev.tally.proto.v1.ListApiKeysResponse;
import dev.tally.proto.v1.UpdateApiKeyRequest;
import dev.tally.proto.v1.UpdateApiKeyResponse;
import dev.tally.proto.v1.UsagePlanServiceGrpc;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "keys", description = "API keys.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Enable.class, KeysCommand.Disable.class})
final class KeysCommand {

    private static final List<String> HEADERS = List.of("KEY_ID", "NAME", "ENABLED", "CREATED");

    static List<String> row(ApiKey key) {
        return List.of(key.getId(), key.getName(), Boolean.toString(key.getEnabled()), Output.time(key.getCreateDate()));
    }

    @Command(name = "create", description = "Creates an API key and prints its value (shown only once).")
    static final class Create extends TallyCommand {
        @Option(names = "--name", defaultValue = "", description = "The key's name.")
        String name;

        @Option(names = "--description", defaultValue = "", description = "A description.")
        String description;

        @Option(names = "--value", defaultValue = "", description = "The value, 20..128 of [A-Za-z0-9]; generated when absent.")
        String value;

        @Option(names = "--disabled", description = "Create it disabled.")
        boolean disabled;

        @Override
        int run(Session session, Output output) {
            CreateApiKeyResponse response = session.stub(UsagePlanServiceGrpc::newBlockingStub).createApiKey(CreateApiKeyRequest.newBuilder()
                    .setName(name).setDescription(description).setValue(value).setEnabled(!disabled).build());
            ApiKey key = response.getApiKey();
            output.print(response, List.of("KEY_ID", "VALUE", "ENABLED"),
                    List.of(List.of(key.getId(), key.getValue(), Boolean.toString(key.getEnabled()))));
            return 0;
        }
    }

    @Command(name = "list", description = "Lists API keys (never their values).")
    static final class ListKeys extends TallyCommand {
        @Mixin
        PageOptions paging;

        @Override
        int run(Session session, Output output) {
            var stub = session.stub(UsagePlanServiceGrpc::newBlockingStub);
            ListApiKeysResponse response = paging.fetch(spec, (size, token) -> stub.listApiKeys(
                    ListApiKeysRequest.newBuilder().setPageSize(size).setPageToken(token).build()));
            output.print(response, HEADERS, response.getApiKeysList().stream().map(KeysCommand::row).toList());
            return 0;
        }
    }

    /** Enables or disables a key. */
    abstract static class Toggle extends TallyCommand {
        @Parameters(paramLabel = "KEY_ID", description = "The API key.")
        String key;

        abstract boolean enabled();

        @Override
        int run(Session session, Output output) {
            UpdateApiKeyResponse response = session.stub(UsagePlanServiceGrpc::newBlockingStub)
                    .updateApiKey(UpdateApiKeyRequest.newBuilder().setKeyId(key).setEnabled(enabled()).build());
            output.print(response, HEADERS, List.of(row(response.getApiKey())));
            return 0;
        }
    }

    @Command(name = "enable", description = "Enables an API key.")
    static final class Enable extends Toggle {
        @Override
        boolean enabled() {
            return true;
        }
    }

    @Command(name = "disable", description = "Disables an API key: its calls are rejected.")
    static final class Disable extends Toggle {
        @Override
        boolean enabled() {
            return false;
        }
    }
}
