package dev.tally.domain.common;

import java.util.regex.Pattern;

/** An API key id: 10 characters {@code [a-z0-9]}, generated. */
public record ApiKeyId(String value) {

    private static final Pattern PATTERN = Pattern.compile("^[a-z0-9]{10}$");

    public ApiKeyId {
        Ids.require("key_id", value, PATTERN, ErrorReason.BAD_REQUEST, "10 characters [a-z0-9]");
    }

    public static ApiKeyId generate() {
        return new ApiKeyId(Ids.randomLowerAlnum(10));
    }

    @Override
    public String toString() {
        return value;
    }
}
