package dev.tally.cli;

import dev.tally.proto.v1.Dataset;
import dev.tally.proto.v1.DeleteDatasetRequest;
import dev.tally.proto.v1.DeleteDatasetResponse;
import dev.tally.proto.v1.DescribeDatasetRequest;
import dev.tally.proto.v1.DescribeDatasetResponse;
import dev.tally.proto.v1.ListDatasetsRequest;
import dev.tally.proto.v1.ListDatasetsResponse;
import dev.tally.proto.v1.SyncServiceGrpc;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "datasets", description = "An identity's datasets.",
        subcommands = {DatasetsCommand.ListDatasets.class, DatasetsCommand.Describe.class, DatasetsCommand.Delete.class})
final class DatasetsCommand {

    private static final List<String> HEADERS = List.of("DATASET", "RECORDS", "DATA_STORAGE", "CREATED", "LAST_MODIFIED", "BY");

    static List<String> row(Dataset dataset, Output output) {
        return List.of(dataset.getDatasetName(), Long.toString(dataset.getNumRecords()), output.bytes(dataset.getDataStorage()),
                Output.time(dataset.getCreationDate()), Output.time(dataset.getLastModifiedDate()), dataset.getLastModifiedBy());
    }

    @Command(name = "list", description = "Lists an identity's datasets.")
    static final class ListDatasets extends TallyCommand {
        @Mixin
        IdentityOptions target;

        @Mixin
        PageOptions paging;
        @Override
        int run(Session session, Output output) {
            var stub = session.stub(SyncServiceGrpc::newBlockingStub);
            ListDatasetsResponse response = paging.fetch(spec, "next_token", (size, token) -> stub.listDatasets(ListDatasetsRequest
                    .newBuilder().setIdentityPoolId(target.pool).setIdentityId(target.identity).setMaxResults(size).setNextToken(token).build()));
            response = response.toBuilder().setCount(response.getDatasetsCount()).build();
            output.print(response, HEADERS, response.getDatasetsList().stream().map(d -> row(d, output)).toList());
            return 0;
        }
    }

    @Command(name = "describe", description = "Shows one dataset: its records, bytes and last change.")
    static final class Describe extends TallyCommand {
        @Mixin
        IdentityOptions target;

        @Parameters(paramLabel = "DATASET", description = "The dataset.")
        String dataset;

        @Override
        int run(Session session, Output output) {
            DescribeDatasetResponse response = session.stub(SyncServiceGrpc::newBlockingStub).describeDataset(DescribeDatasetRequest
                    .newBuilder().setIdentityPoolId(target.pool).setIdentityId(target.identity).setDatasetName(dataset).build());
            output.print(response, HEADERS, List.of(row(response.getDataset(), output)));
            return 0;
        }
    }

    @Command(name = "delete", description = "Deletes a dataset and all its records for good.")
    static final class Delete extends TallyCommand {
        @Mixin
        IdentityOptions target;

        @Parameters(paramLabel = "DATASET", description = "The dataset to delete.")
        String dataset;

        @picocli.CommandLine.Mixin
        Confirmation confirmation;

        @Override
        int run(Session session, Output output) {
            confirmation.confirm("delete dataset " + dataset + " of identity " + target.identity + " with all its records");
            DeleteDatasetResponse response = session.stub(SyncServiceGrpc::newBlockingStub).deleteDataset(DeleteDatasetRequest
                    .newBuilder().setIdentityPoolId(target.pool).setIdentityId(target.identity).setDatasetName(dataset).build());
            output.print(response, HEADERS, List.of(row(response.getDataset(), output)));
            return 0;
        }
    }
}
