package dev.tally.domain.common;

import java.util.regex.Pattern;

/** A usage plan id: 6 characters {@code [a-z0-9]}, generated. */
public record UsagePlanId(String value) {

    private static final Pattern PATTERN = Pattern.compile("^[a-z0-9]{6}$");

    public UsagePlanId {
        Ids.require("usage_plan_id", value, PATTERN, ErrorReason.BAD_REQUEST, "6 characters [a-z0-9]");
    }

    public static UsagePlanId generate() {
        return new UsagePlanId(Ids.randomLowerAlnum(6));
    }

    @Override
    public String toString() {
        return value;
    }
}
