package dev.tally.cli;

import dev.tally.proto.v1.ApiKey;
import dev.tally.proto.v1.CreateApiKeyRequest;
import dev.tally.proto.v1.CreateApiKeyResponse;
import dev.tally.proto.v1.DeleteApiKeyRequest;
import dev.tally.proto.v1.DeleteApiKeyResponse;
import dev.tally.proto.v1.GetApiKeyRequest;
import dev.tally.proto.v1.GetApiKeyResponse;
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
        subcommands = {KeysCommand.Create.class, KeysCommand.Get.class, KeysCommand.ListKeys.class, KeysCommand.Enable.class,
                KeysCommand.Disable.class, KeysCommand.Delete.class, KeysImport.class})
final class KeysCommand {

    private static final List<String> HEADERS = List.of("KEY_ID", "NAME", "ENABLED", "CREATED");
    private static final List<String> HEADERS_WITH_VALUES = List.of("KEY_ID", "NAME", "ENABLED", "CREATED", "VALUE");

    static List<String> row(ApiKey key) {
        return List.of(key.getId(), key.getName(), Boolean.toString(key.getEnabled()), Output.time(key.getCreateDate()));
    }

    static List<String> rowWithValue(ApiKey key) {
        return List.of(key.getId(), key.getName(), Boolean.toString(key.getEnabled()), Output.time(key.getCreateDate()), key.getValue());
    }

    @Command(name = "get", description = "Shows one API key; its value only with --include-value.")
    static final class Get extends TallyCommand {
        @Parameters(paramLabel = "KEY_ID", description = "The API key.")
        String key;

        @Option(names = "--include-value", description = "Also print the key's value.")
        boolean includeValue;

        @Override
        int run(Session session, Output output) {
            GetApiKeyResponse response = session.stub(UsagePlanServiceGrpc::newBlockingStub)
                    .getApiKey(GetApiKeyRequest.newBuilder().setKeyId(key).setIncludeValue(includeValue).build());
            output.print(response, includeValue ? HEADERS_WITH_VALUES : HEADERS,
                    List.of(includeValue ? rowWithValue(response.getApiKey()) : row(response.getApiKey())));
            return 0;
        }
    }

    @Command(name = "delete", description = "Deletes an API key, its plan associations and its usage.")
    static final class Delete extends TallyCommand {
        @Parameters(paramLabel = "KEY_ID", description = "The API key.")
        String key;

        @picocli.CommandLine.Mixin
        Confirmation confirmation;

        @Override
        int run(Session session, Output output) {
            confirmation.confirm("delete API key " + key + " with its plan associations and usage");
            DeleteApiKeyResponse response = session.stub(UsagePlanServiceGrpc::newBlockingStub)
                    .deleteApiKey(DeleteApiKeyRequest.newBuilder().setKeyId(key).build());
            output.print(response, List.of("DELETED"), List.of(List.of(key)));
            return 0;
        }
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

    @Command(name = "list", description = "Lists API keys; their values only with --include-values.")
    static final class ListKeys extends TallyCommand {
        @Mixin
        PageOptions paging;

        @Option(names = "--name-query", defaultValue = "", description = "Only keys whose name starts with this.")
        String nameQuery;

        @Option(names = "--include-values", description = "Also print the keys' values.")
        boolean includeValues;

        @Override
        int run(Session session, Output output) {
            var stub = session.stub(UsagePlanServiceGrpc::newBlockingStub);
            ListApiKeysResponse response = paging.fetch(spec, (size, token) -> stub.listApiKeys(ListApiKeysRequest.newBuilder()
                    .setPageSize(size).setPageToken(token).setNameQuery(nameQuery).setIncludeValues(includeValues).build()));
            output.print(response, includeValues ? HEADERS_WITH_VALUES : HEADERS, response.getApiKeysList().stream()
                    .map(includeValues ? KeysCommand::rowWithValue : KeysCommand::row).toList());
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
