package dev.tally.domain.access;

import java.util.Objects;

/** The temporary AWS credentials of an identity token as stored: the token, and its secret sealed under the master key. */
public record IdentityCredential(StoredIdentityToken token, byte[] sealedSecret) {

    public IdentityCredential {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(sealedSecret, "sealedSecret");
    }
}
