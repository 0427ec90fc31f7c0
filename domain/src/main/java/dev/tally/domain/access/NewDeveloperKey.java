package dev.tally.domain.access;

/** A developer key just created, with its token: the only time the token is seen. */
public record NewDeveloperKey(DeveloperKey key, String token) {
}
