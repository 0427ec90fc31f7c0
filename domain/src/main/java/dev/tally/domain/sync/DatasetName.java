package dev.tally.domain.sync;

import dev.tally.domain.common.ErrorReason;
import dev.tally.domain.common.Ids;
import java.util.regex.Pattern;

/** A dataset name: 1..128 characters of {@code [a-zA-Z0-9_.:-]}. */
public record DatasetName(String value) {

    private static final Pattern PATTERN = Pattern.compile("^[a-zA-Z0-9_.:-]{1,128}$");

    public DatasetName {
        Ids.require("dataset_name", value, PATTERN, ErrorReason.INVALID_PARAMETER, "1..128 characters of [a-zA-Z0-9_.:-]");
    }

    @Override
    public String toString() {
        return value;
    }
}
