package dev.tally.domain.sync;

import java.util.List;

/** A page of changed records, the dataset's sync count and existence, and the session to write with. */
public record ListRecordsResult(List<Record> records, String nextToken, long datasetSyncCount, boolean datasetExists,
                                String sessionToken) {

    public ListRecordsResult {
        records = List.copyOf(records);
    }
}
