package dev.tally.aws.cognito;

import static dev.tally.aws.protocol.Values.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.aws.AwsService;
import dev.tally.aws.protocol.ServiceModel;
import dev.tally.aws.protocol.Values;
import dev.tally.domain.common.Caller;
import dev.tally.domain.common.IdentityId;
import dev.tally.domain.common.IdentityPoolId;
import dev.tally.domain.sync.Dataset;
import dev.tally.domain.sync.DatasetName;
import dev.tally.domain.sync.IdentityPoolUsage;
import dev.tally.domain.sync.IdentityUsage;
import dev.tally.domain.sync.ListRecordsQuery;
import dev.tally.domain.sync.ListRecordsResult;
import dev.tally.domain.sync.Record;
import dev.tally.domain.sync.RecordPatch;
import dev.tally.domain.sync.UpdateRecordsCommand;
import dev.tally.domain.sync.port.in.DescribeSyncUsage;
import dev.tally.domain.sync.port.in.SyncDatasets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Cognito Sync's usage, dataset and record operations ({@code cognito-sync}, rest-json) over the sync
 * in-ports. The one service identity credentials may call: the domain lets them act on their own identity.
 */
public final class CognitoSyncService implements AwsService {

    private final ServiceModel model = ServiceModel.load("cognito-sync");
    private final Map<String, Handler> handlers = new LinkedHashMap<>();

    public CognitoSyncService(SyncDatasets datasets, DescribeSyncUsage usage) {
        Objects.requireNonNull(datasets, "datasets");
        Objects.requireNonNull(usage, "usage");
        handlers.put("DescribeIdentityUsage", (caller, in) -> JSON.objectNode().set("IdentityUsage",
                identityUsage(usage.describeIdentityUsage(caller, poolId(in), identityId(in)))));
        handlers.put("DescribeIdentityPoolUsage", (caller, in) -> JSON.objectNode().set("IdentityPoolUsage",
                poolUsage(usage.describeIdentityPoolUsage(caller, poolId(in)))));
        handlers.put("ListIdentityPoolUsage", (caller, in) -> {
            var page = usage.listIdentityPoolUsage(caller, in.path("MaxResults").asInt(0), in.path("NextToken").asText(""));
            return Values.page(page, "IdentityPoolUsages", "NextToken", CognitoSyncService::poolUsage)
                    .put("Count", page.items().size())
                    .put("MaxResults", in.path("MaxResults").asInt(0) == 0 ? 16 : in.path("MaxResults").asInt());
        });
        handlers.put("ListDatasets", (caller, in) -> {
            var page = datasets.listDatasets(caller, poolId(in), identityId(in), in.path("NextToken").asText(""),
                    in.path("MaxResults").asInt(0));
            return Values.page(page, "Datasets", "NextToken", CognitoSyncService::dataset).put("Count", page.items().size());
        });
        handlers.put("DescribeDataset", (caller, in) -> JSON.objectNode().set("Dataset",
                dataset(datasets.describeDataset(caller, poolId(in), identityId(in), datasetName(in)))));
        handlers.put("DeleteDataset", (caller, in) -> JSON.objectNode().set("Dataset",
                dataset(datasets.deleteDataset(caller, poolId(in), identityId(in), datasetName(in)))));
        handlers.put("ListRecords", (caller, in) -> listRecords(datasets, caller, in));
        handlers.put("UpdateRecords", (caller, in) -> {
            List<Record> stored = datasets.updateRecords(caller, new UpdateRecordsCommand(poolId(in), identityId(in), datasetName(in),
                    in.path("SyncSessionToken").asText(), in.path("DeviceId").asText(""), patches(in.path("RecordPatches"))));
            return JSON.objectNode().set("Records", records(stored));
        });
    }

    @Override
    public ServiceModel model() {
        return model;
    }

    @Override
    public String badInputError() {
        return "InvalidParameterException";
    }

    @Override
    public String accessDeniedError() {
        return "NotAuthorizedException";
    }

    @Override
    public boolean servesIdentityCallers() {
        return true;
    }

    @Override
    public Map<String, Handler> handlers() {
        return handlers;
    }

    private static JsonNode listRecords(SyncDatasets datasets, Caller caller, ObjectNode in) {
        ListRecordsResult result = datasets.listRecords(caller, new ListRecordsQuery(poolId(in), identityId(in), datasetName(in),
                in.path("LastSyncCount").asLong(0), in.path("NextToken").asText(""), in.path("MaxResults").asInt(0),
                in.path("SyncSessionToken").asText("")));
        ObjectNode out = JSON.objectNode();
        out.set("Records", records(result.records()));
        if (!result.nextToken().isEmpty()) {
            out.put("NextToken", result.nextToken());
        }
        out.put("Count", result.records().size())
                .put("DatasetSyncCount", result.datasetSyncCount())
                .put("DatasetExists", result.datasetExists())
                .put("DatasetDeletedAfterRequestedSyncCount", false)
                .put("SyncSessionToken", result.sessionToken());
        out.set("MergedDatasetNames", JSON.arrayNode());
        return out;
    }

    private static List<RecordPatch> patches(JsonNode patches) {
        List<RecordPatch> result = new ArrayList<>(patches.size());
        for (JsonNode patch : patches) {
            RecordPatch.Operation op = patch.path("Op").asText().equals("remove") ? RecordPatch.Operation.REMOVE : RecordPatch.Operation.REPLACE;
            Optional<java.time.Instant> device = patch.hasNonNull("DeviceLastModifiedDate")
                    ? Optional.of(Values.instant(patch.path("DeviceLastModifiedDate"))) : Optional.empty();
            result.add(new RecordPatch(op, patch.path("Key").asText(), patch.path("Value").asText(""), patch.path("SyncCount").asLong(),
                    device));
        }
        return result;
    }

    private static IdentityPoolId poolId(ObjectNode in) {
        return new IdentityPoolId(in.path("IdentityPoolId").asText());
    }

    private static IdentityId identityId(ObjectNode in) {
        return new IdentityId(in.path("IdentityId").asText());
    }

    private static DatasetName datasetName(ObjectNode in) {
        return new DatasetName(in.path("DatasetName").asText());
    }

    private static ObjectNode identityUsage(IdentityUsage usage) {
        ObjectNode out = JSON.objectNode().put("IdentityId", usage.identity().value()).put("IdentityPoolId", usage.pool().value());
        out.set("LastModifiedDate", Values.epochSeconds(usage.lastModified()));
        return out.put("DatasetCount", usage.datasetCount()).put("DataStorage", usage.dataStorage());
    }

    private static ObjectNode poolUsage(IdentityPoolUsage usage) {
        ObjectNode out = JSON.objectNode().put("IdentityPoolId", usage.pool().value());
        usage.syncSessionsCount().ifPresent(count -> out.put("SyncSessionsCount", count));
        out.put("DataStorage", usage.dataStorage());
        return out.set("LastModifiedDate", Values.epochSeconds(usage.lastModified()));
    }

    private static ObjectNode dataset(Dataset dataset) {
        ObjectNode out = JSON.objectNode().put("IdentityId", dataset.identity().value()).put("DatasetName", dataset.name().value());
        out.set("CreationDate", Values.epochSeconds(dataset.created()));
        out.set("LastModifiedDate", Values.epochSeconds(dataset.lastModified()));
        return out.put("LastModifiedBy", dataset.lastModifiedBy()).put("DataStorage", dataset.dataStorage())
                .put("NumRecords", dataset.numRecords());
    }

    private static ArrayNode records(List<Record> records) {
        ArrayNode out = JSON.arrayNode(records.size());
        for (Record record : records) {
            ObjectNode item = out.addObject().put("Key", record.key()).put("Value", record.value()).put("SyncCount", record.syncCount());
            item.set("LastModifiedDate", Values.epochSeconds(record.lastModified()));
            item.put("LastModifiedBy", record.lastModifiedBy());
            record.deviceLastModified().ifPresent(at -> item.set("DeviceLastModifiedDate", Values.epochSeconds(at)));
        }
        return out;
    }
}
