package dev.tally.domain.access;

import java.time.Instant;

/** An identity token just issued: its text (shown once) and when it stops being accepted. */
public record IssuedToken(String token, Instant expiresAt) {
}
