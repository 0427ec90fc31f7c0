package dev.tally.domain.sync;

import dev.tally.domain.common.IdentityPoolId;
import dev.tally.domain.common.NotFoundException;

/** The one wording of "no such pool", which every sync use case answers alike. */
final class NotFound {

    private NotFound() {
    }

    static NotFoundException pool(IdentityPoolId pool) {
        return new NotFoundException("identity_pool_id", "identity pool '" + pool + "' does not exist");
    }
}
