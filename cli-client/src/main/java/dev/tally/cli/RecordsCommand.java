package dev.tally.cli;

import dev.tally.proto.v1.ListRecordsRequest;
import dev.tally.proto.v1.ListRecordsResponse;
import dev.tally.proto.v1.Operation;
import dev.tally.proto.v1.Record;
import dev.tally.proto.v1.RecordPatch;
import dev.tally.proto.v1.SyncServiceGrpc;
import dev.tally.proto.v1.SyncServiceGrpc.SyncServiceBlockingStub;
import dev.tally.proto.v1.UpdateRecordsRequest;
import dev.tally.proto.v1.UpdateRecordsResponse;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "records", description = "Records of a dataset; put and remove run a whole sync session.",
        subcommands = {RecordsCommand.ListRecords.class, RecordsCommand.Put.class, RecordsCommand.Remove.class})
final class RecordsCommand {

    private static final List<String> HEADERS = List.of("KEY", "VALUE", "SYNC_COUNT", "LAST_MODIFIED", "BY");

    static List<String> row(Record record) {
        return List.of(record.getKey(), record.getValue(), Long.toString(record.getSyncCount()),
                Output.time(record.getLastModifiedDate()), record.getLastModifiedBy());
    }

    /** The dataset a records command works on. */
    static final class DatasetOptions {
        @Mixin
        IdentityOptions target;

        @Option(names = "--dataset", required = true, description = "The dataset name.")
        String dataset;

        ListRecordsRequest.Builder listRequest() {
            return ListRecordsRequest.newBuilder().setIdentityPoolId(target.pool).setIdentityId(target.identity).setDatasetName(dataset);
        }
    }

    /** Lists every record changed after {@code since} in one sync session, following pages; the merged response. */
    static ListRecordsResponse listAll(SyncServiceBlockingStub stub, DatasetOptions options, long since, int maxResults) {
        ListRecordsResponse page = stub.listRecords(options.listRequest().setLastSyncCount(since).setMaxResults(maxResults).build());
        ListRecordsResponse.Builder merged = page.toBuilder();
        while (!page.getNextToken().isEmpty()) {
            page = stub.listRecords(options.listRequest().setLastSyncCount(since).setMaxResults(maxResults)
                    .setNextToken(page.getNextToken()).setSyncSessionToken(merged.getSyncSessionToken()).build());
            merged.addAllRecords(page.getRecordsList());
        }
        return merged.setNextToken("").setCount(merged.getRecordsCount()).build();
    }

    @Command(name = "list", description = "Lists the records changed after --since (all records by default).")
    static final class ListRecords extends TallyCommand {
        @Mixin
        DatasetOptions options;

        @Option(names = "--since", defaultValue = "0", description = "Only records changed after this dataset sync count.")
        long since;

        @Option(names = {"--page-size"}, defaultValue = "0", description = "Records per page; 0 (the default) lets the server choose: 100.")
        int maxResults;

        @Option(names = "--max-results", hidden = true, description = "Old name of --page-size.")
        Integer oldMaxResults;

        @Option(names = "--all", description = "Follow page tokens to the end, within one sync session.")
        boolean all;

        @Override
        int run(Session session, Output output) {
            var stub = session.stub(SyncServiceGrpc::newBlockingStub);
            int size = oldMaxResults != null ? oldMaxResults : maxResults;
            ListRecordsResponse response = all ? listAll(stub, options, since, size)
                    : stub.listRecords(options.listRequest().setLastSyncCount(since).setMaxResults(size).build());
            output.print(response, HEADERS, response.getRecordsList().stream().map(RecordsCommand::row).toList());
            if (!response.getNextToken().isEmpty()) {
                spec.commandLine().getErr().println("more: use --all to follow the remaining pages");
            }
            return 0;
        }
    }

    /** Runs a whole sync session: list the records to learn their sync counts, then update them at those counts. */
    abstract static class Update extends TallyCommand {
        @Mixin
        DatasetOptions options;

        @Option(names = "--device-id", defaultValue = "tally-cli", description = "Recorded as the records' last modifier.")
        String deviceId;

        abstract Map<String, RecordPatch.Builder> patches();

        @Override
        int run(Session session, Output output) {
            var stub = session.stub(SyncServiceGrpc::newBlockingStub);
            ListRecordsResponse current = listAll(stub, options, 0, 1024);
            Map<String, Long> syncCounts = new HashMap<>();
            current.getRecordsList().forEach(record -> syncCounts.put(record.getKey(), record.getSyncCount()));
            UpdateRecordsRequest.Builder request = UpdateRecordsRequest.newBuilder()
                    .setIdentityPoolId(options.target.pool).setIdentityId(options.target.identity)
                    .setDatasetName(options.dataset).setSyncSessionToken(current.getSyncSessionToken()).setDeviceId(deviceId);
            patches().forEach((key, patch) -> request.addRecordPatches(patch.setKey(key).setSyncCount(syncCounts.getOrDefault(key, 0L))));
            UpdateRecordsResponse response = stub.updateRecords(request.build());
            output.print(response, HEADERS, response.getRecordsList().stream().map(RecordsCommand::row).toList());
            return 0;
        }
    }

    @Command(name = "put", description = "Creates or replaces records: KEY=VALUE ...")
    static final class Put extends Update {
        @Parameters(paramLabel = "KEY=VALUE", arity = "1..*", description = "Records to write.")
        Map<String, String> records;

        @Override
        Map<String, RecordPatch.Builder> patches() {
            Map<String, RecordPatch.Builder> patches = new LinkedHashMap<>();
            records.forEach((key, value) -> patches.put(key, RecordPatch.newBuilder().setOp(Operation.OPERATION_REPLACE).setValue(value)));
            return patches;
        }
    }

    @Command(name = "remove", description = "Removes records: KEY ...")
    static final class Remove extends Update {
        @Parameters(paramLabel = "KEY", arity = "1..*", description = "Keys to remove.")
        List<String> keys;

        @Override
        Map<String, RecordPatch.Builder> patches() {
            Map<String, RecordPatch.Builder> patches = new LinkedHashMap<>();
            keys.forEach(key -> patches.put(key, RecordPatch.newBuilder().setOp(Operation.OPERATION_REMOVE)));
            return patches;
        }
    }
}
