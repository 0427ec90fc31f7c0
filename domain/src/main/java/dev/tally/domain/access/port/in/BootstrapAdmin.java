package dev.tally.domain.access.port.in;

import java.util.Optional;

/** The first start: a store with no developer key gets one. */
public interface BootstrapAdmin {

    /**
     * Creates the first developer key when the store has none; safe when several servers race.
     *
     * @param configuredToken the operator's token for that key, else one is generated
     * @return the new key's token when this call created it; empty when a key existed already
     * @throws IllegalArgumentException when {@code configuredToken} is not 32..512 printable characters
     */
    Optional<String> ensureAdminKey(Optional<String> configuredToken);
}
