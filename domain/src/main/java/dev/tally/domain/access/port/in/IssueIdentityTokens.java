package dev.tally.domain.access.port.in;

import dev.tally.domain.access.IssuedToken;
import dev.tally.domain.common.Caller;
import dev.tally.domain.common.IdentityId;
import dev.tally.domain.common.IdentityPoolId;
import java.time.Duration;
import java.util.Optional;

/** Issues and revokes tokens scoped to one identity. Developers only. */
public interface IssueIdentityTokens {

    /**
     * @param ttl how long the token lasts, 1 minute to 24 hours; empty for 1 hour
     * @throws dev.tally.domain.common.InvalidParameterException for a ttl out of range
     * @throws dev.tally.domain.common.NotFoundException when the pool or identity does not exist
     */
    IssuedToken issue(Caller caller, IdentityPoolId pool, IdentityId identity, Optional<Duration> ttl);

    /**
     * Revokes every token of the identity: refused at once on this server, and within the credential cache's
     * lifetime on the others. Returns how many had not expired yet.
     *
     * @throws dev.tally.domain.common.NotFoundException when the pool or identity does not exist
     */
    int revoke(Caller caller, IdentityPoolId pool, IdentityId identity);
}
