package dev.tally.domain.sync;

import dev.tally.domain.common.IdentityPoolId;
import java.time.Instant;
import java.util.OptionalLong;

/** What one pool stores; {@code syncSessionsCount} is empty until the pool's first sync session. */
public record IdentityPoolUsage(IdentityPoolId pool, OptionalLong syncSessionsCount, long dataStorage, Instant lastModified) {
}
