package dev.tally.domain.sync;

import dev.tally.domain.common.IdentityId;
import dev.tally.domain.common.IdentityPoolId;
import java.util.List;

/** UpdateRecords: patches applied all together, within a sync session of this identity and dataset. */
public record UpdateRecordsCommand(IdentityPoolId pool, IdentityId identity, DatasetName dataset, String sessionToken,
                                   String deviceId, List<RecordPatch> patches) {

    public UpdateRecordsCommand {
        patches = List.copyOf(patches);
    }
}
