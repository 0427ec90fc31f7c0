package dev.tally.domain.sync;

import dev.tally.domain.common.IdentityPoolId;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * What one pool stores; {@code syncSessionsCount} is empty until the pool's first sync session. The pool's
 * name comes along, so that a list of pools with their usage is one read.
 */
public record IdentityPoolUsage(IdentityPoolId pool, String name, OptionalLong syncSessionsCount, long dataStorage, Instant lastModified) {
}
