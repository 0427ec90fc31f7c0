package dev.tally.domain.sync.port.in;

import dev.tally.domain.common.Caller;
import dev.tally.domain.common.IdentityId;
import dev.tally.domain.common.IdentityPoolId;
import dev.tally.domain.common.Page;
import java.util.List;
import dev.tally.domain.sync.IdentityPoolUsage;
import dev.tally.domain.sync.IdentityUsage;

/** The Cognito-style usage reads, answered from aggregates: O(1) in the number of records. */
public interface DescribeSyncUsage {

    /**
     * Developers, or the identity token of this identity (another identity's: PermissionDeniedException,
     * NotAuthorizedException, before anything is looked up). Unknown pool or identity: NotFoundException.
     */
    IdentityUsage describeIdentityUsage(Caller caller, IdentityPoolId pool, IdentityId identity);

    /** Developers only (else PermissionDeniedException, NotAuthorizedException). Unknown pool: NotFoundException. */
    IdentityPoolUsage describeIdentityPoolUsage(Caller caller, IdentityPoolId pool);

    /** Every pool's usage, ordered by pool id; {@code maxResults} 0 means 16, at most 60. Developers only. */
    Page<IdentityPoolUsage> listIdentityPoolUsage(Caller caller, int maxResults, String nextToken);

    /** The pool's 100 identities storing the most bytes, the largest first. Developers only; unknown pool: NotFoundException. */
    List<IdentityUsage> largestIdentities(Caller caller, IdentityPoolId pool);
}
