package dev.tally.domain.access.port.in;

import dev.tally.domain.common.Caller;

/** Turns a presented bearer token into a {@link Caller}. */
public interface AuthenticateCaller {

    /**
     * @param bearerToken the token text after {@code Bearer }, never null
     * @return the caller the token belongs to
     * @throws dev.tally.domain.common.UnauthenticatedException when the token is malformed, unknown, revoked or expired
     */
    Caller authenticate(String bearerToken);
}
