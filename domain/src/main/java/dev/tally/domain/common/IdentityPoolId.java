package dev.tally.domain.common;

import java.util.UUID;
import java.util.regex.Pattern;

/** An identity pool id, {@code <region>:<uuid>} (Cognito's {@code [\w-]+:[0-9a-f-]+}, 1..55 chars). */
public record IdentityPoolId(String value) {

    static final Pattern PATTERN = Pattern.compile("^(?=.{1,55}$)[\\w-]+:[0-9a-f-]+$");
    static final String EXPECTED = "<region>:<lowercase uuid>, 1..55 characters of [\\w-]+:[0-9a-f-]+";

    public IdentityPoolId {
        Ids.require("identity_pool_id", value, PATTERN, ErrorReason.INVALID_PARAMETER, EXPECTED);
    }

    public static IdentityPoolId generate(String region) {
        return new IdentityPoolId(region + ":" + UUID.randomUUID());
    }

    @Override
    public String toString() {
        return value;
    }
}
