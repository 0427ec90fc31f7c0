package dev.tally.domain.common;

import java.util.regex.Pattern;

/** The secret value of an API key: 20..128 characters {@code [A-Za-z0-9]}; 40 when generated. Never echoed. */
public record ApiKeyValue(String value) {

    private static final Pattern PATTERN = Pattern.compile("^[A-Za-z0-9]{20,128}$");

    public ApiKeyValue {
        Ids.requireSecret("value", value, PATTERN, ErrorReason.BAD_REQUEST, "20..128 characters [A-Za-z0-9]");
    }

    public static ApiKeyValue generate() {
        return new ApiKeyValue(Ids.randomAlnum(40));
    }

    @Override
    public String toString() {
        return "ApiKeyValue[***]";
    }
}
