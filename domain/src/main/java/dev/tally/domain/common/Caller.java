package dev.tally.domain.common;

import java.util.Objects;

/** Who is calling: a developer key holder (full access) or the holder of one identity's token. */
public sealed interface Caller {

    /** A stable, non-secret name of the credential, for per-caller rate limits and logs. */
    String principal();

    /** Allows developers only; anyone else gets {@link PermissionDeniedException} with {@code reason}. */
    default void requireDeveloper(ErrorReason reason) {
        if (!(this instanceof Developer)) {
            throw new PermissionDeniedException(reason, null, "this operation needs a developer token");
        }
    }

    /**
     * Allows developers, and the identity token of exactly this identity. Another identity's token gets
     * {@link PermissionDeniedException} with {@code reason}, and a message that says nothing about the target.
     */
    default void requireDeveloperOrSelf(IdentityPoolId pool, IdentityId identity, ErrorReason reason) {
        if (this instanceof Identity self && !(self.pool().equals(pool) && self.identity().equals(identity))) {
            throw new PermissionDeniedException(reason, null, "an identity token may only access its own identity");
        }
    }

    /** The holder of a developer key. */
    record Developer(String keyId) implements Caller {
        public Developer {
            Objects.requireNonNull(keyId, "keyId");
        }

        @Override
        public String principal() {
            return "developer:" + keyId;
        }
    }

    /** The holder of an identity token, scoped to one identity of one pool. */
    record Identity(String tokenId, IdentityPoolId pool, IdentityId identity) implements Caller {
        public Identity {
            Objects.requireNonNull(tokenId, "tokenId");
            Objects.requireNonNull(pool, "pool");
            Objects.requireNonNull(identity, "identity");
        }

        @Override
        public String principal() {
            return "identity:" + tokenId;
        }
    }
}
