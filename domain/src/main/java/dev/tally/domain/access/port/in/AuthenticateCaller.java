package dev.tally.domain.access.port.in;

import dev.tally.domain.access.SignedRequest;
import dev.tally.domain.common.Caller;

/** Turns a presented credential (a bearer token, or a SigV4 signature) into a {@link Caller}. */
public interface AuthenticateCaller {

    /**
     * @param bearerToken the token text after {@code Bearer }, never null
     * @return the caller the token belongs to
     * @throws dev.tally.domain.common.UnauthenticatedException when the token is malformed, unknown, revoked or expired
     */
    Caller authenticate(String bearerToken);

    /**
     * Verifies a SigV4 signature: the access key must be known and its developer key active, the scope date
     * the request's date, the request's date within 15 minutes of now, and the signature right.
     *
     * @throws dev.tally.domain.common.UnauthenticatedException with reason UnrecognizedClientException for an
     *     unknown key, InvalidSignatureException for a wrong signature or date
     */
    Caller authenticate(SignedRequest request);

    /**
     * An access key presented with its secret itself (the console's sign-in), compared in constant time.
     *
     * @throws dev.tally.domain.common.UnauthenticatedException for an unknown key or a wrong secret, alike
     */
    Caller authenticateAccessKey(String accessKeyId, String secret);
}
