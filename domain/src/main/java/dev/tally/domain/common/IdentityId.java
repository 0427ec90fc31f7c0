package dev.tally.domain.common;

import java.util.UUID;

/** An identity id: the same format as an identity pool id. */
public record IdentityId(String value) {

    public IdentityId {
        Ids.require("identity_id", value, IdentityPoolId.PATTERN, ErrorReason.INVALID_PARAMETER, IdentityPoolId.EXPECTED);
    }

    public static IdentityId generate(String region) {
        return new IdentityId(region + ":" + UUID.randomUUID());
    }

    @Override
    public String toString() {
        return value;
    }
}
