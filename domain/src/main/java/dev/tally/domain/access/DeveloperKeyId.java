package dev.tally.domain.access;

import dev.tally.domain.common.ErrorReason;
import dev.tally.domain.common.Ids;
import java.util.regex.Pattern;

/** A developer key id: 16 characters {@code [a-z0-9]}. */
public record DeveloperKeyId(String value) {

    private static final Pattern PATTERN = Pattern.compile("^[a-z0-9]{16}$");

    /** The id of the key the server creates on first start, fixed so that racing servers create it once. */
    public static final DeveloperKeyId BOOTSTRAP = new DeveloperKeyId("bootstrap0000000");

    public DeveloperKeyId {
        Ids.require("key_id", value, PATTERN, ErrorReason.INVALID_PARAMETER, "16 characters [a-z0-9]");
    }

    public static DeveloperKeyId generate() {
        return new DeveloperKeyId(Ids.randomLowerAlnum(16));
    }

    @Override
    public String toString() {
        return value;
    }
}
