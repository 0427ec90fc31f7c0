package dev.tally.grpc;

import dev.tally.domain.common.ErrorReason;
import dev.tally.domain.common.InvalidParameterException;
import dev.tally.domain.sync.Dataset;
import dev.tally.domain.sync.Record;
import dev.tally.domain.sync.RecordPatch;
import java.util.ArrayList;
import java.util.List;

/** Sync messages between proto and domain. */
final class SyncMapping {

    private SyncMapping() {
    }

    static List<RecordPatch> patches(List<dev.tally.proto.v1.RecordPatch> patches) {
        List<RecordPatch> result = new ArrayList<>(patches.size());
        for (int i = 0; i < patches.size(); i++) {
            dev.tally.proto.v1.RecordPatch patch = patches.get(i);
            RecordPatch.Operation op = switch (patch.getOp()) {
                case OPERATION_REPLACE -> RecordPatch.Operation.REPLACE;
                case OPERATION_REMOVE -> RecordPatch.Operation.REMOVE;
                default -> throw new InvalidParameterException("record_patches[" + i + "].op", "record_patches[" + i
                        + "].op " + patch.getOpValue() + " is invalid: expected OPERATION_REPLACE or OPERATION_REMOVE");
            };
            result.add(new RecordPatch(op, patch.getKey(), patch.getValue(), patch.getSyncCount(),
                    ProtoTime.instant("record_patches[" + i + "].device_last_modified_date", ErrorReason.INVALID_PARAMETER,
                            patch.hasDeviceLastModifiedDate(), patch.getDeviceLastModifiedDate())));
        }
        return result;
    }

    static dev.tally.proto.v1.Record record(Record record) {
        dev.tally.proto.v1.Record.Builder proto = dev.tally.proto.v1.Record.newBuilder()
                .setKey(record.key())
                .setValue(record.value())
                .setSyncCount(record.syncCount())
                .setLastModifiedDate(ProtoTime.timestamp(record.lastModified()))
                .setLastModifiedBy(record.lastModifiedBy());
        record.deviceLastModified().ifPresent(time -> proto.setDeviceLastModifiedDate(ProtoTime.timestamp(time)));
        return proto.build();
    }

    static dev.tally.proto.v1.Dataset dataset(Dataset dataset) {
        return dev.tally.proto.v1.Dataset.newBuilder()
                .setIdentityId(dataset.identity().value())
                .setDatasetName(dataset.name().value())
                .setCreationDate(ProtoTime.timestamp(dataset.created()))
                .setLastModifiedDate(ProtoTime.timestamp(dataset.lastModified()))
                .setLastModifiedBy(dataset.lastModifiedBy())
                .setDataStorage(dataset.dataStorage())
                .setNumRecords(dataset.numRecords())
                .build();
    }
}
