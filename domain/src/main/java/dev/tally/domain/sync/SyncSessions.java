package dev.tally.domain.sync;

import dev.tally.domain.common.IdentityId;
import dev.tally.domain.common.IdentityPoolId;
import dev.tally.domain.common.Ids;
import dev.tally.domain.common.InvalidParameterException;
import dev.tally.domain.common.Signer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Sync session tokens: signed, valid for one hour, bound to one identity and one dataset. Nothing is stored
 * per session; the pool's session counter is raised when one starts.
 */
public final class SyncSessions {

    public static final Duration LIFETIME = Duration.ofHours(1);
    private static final String SCOPE = "SyncSession";
    private static final String FIELD = "sync_session_token";

    private final Signer signer;
    private final Clock clock;

    public SyncSessions(Signer signer, Clock clock) {
        this.signer = Objects.requireNonNull(signer, "signer");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A new session's token for this identity and dataset. */
    public String start(IdentityPoolId pool, IdentityId identity, DatasetName dataset) {
        Instant expires = clock.instant().plus(LIFETIME);
        return signer.sign(SCOPE, String.join("\n", pool.value(), identity.value(), dataset.value(),
                Long.toString(expires.toEpochMilli()), Ids.randomLowerAlnum(12)));
    }

    /**
     * Checks that {@code token} is an unexpired session of exactly this identity and dataset.
     *
     * @throws InvalidParameterException for a missing, altered, expired or foreign token
     */
    public void verify(String token, IdentityPoolId pool, IdentityId identity, DatasetName dataset) {
        if (token == null || token.isEmpty()) {
            throw new InvalidParameterException(FIELD, FIELD + " is required: start a session with ListRecords");
        }
        List<String> parts = signer.verify(SCOPE, token).map(payload -> List.of(payload.split("\n", -1))).orElse(List.of());
        if (parts.size() != 5) {
            throw invalid("is not a sync session token");
        }
        if (!parts.get(0).equals(pool.value()) || !parts.get(1).equals(identity.value()) || !parts.get(2).equals(dataset.value())) {
            throw invalid("belongs to another identity or dataset");
        }
        if (!clock.instant().isBefore(Instant.ofEpochMilli(Long.parseLong(parts.get(3))))) {
            throw invalid("has expired: sessions last " + LIFETIME.toMinutes() + " minutes; start a new one with ListRecords");
        }
    }

    private static InvalidParameterException invalid(String problem) {
        return new InvalidParameterException(FIELD, FIELD + " " + problem);
    }
}
