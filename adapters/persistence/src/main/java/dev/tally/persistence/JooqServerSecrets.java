package dev.tally.persistence;

import static dev.tally.persistence.jooq.Tables.SERVER_SECRET;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Secrets shared by every server of one database, created by whichever server asks first. A page token
 * issued by one server must verify on another, so the key cannot be per-process.
 */
public final class JooqServerSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database database;

    public JooqServerSecrets(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    /** The 256-bit secret named {@code name}, generated and stored on first use. */
    public byte[] secret(String name) {
        byte[] fresh = new byte[32];
        RANDOM.nextBytes(fresh);
        return shared(name, fresh);
    }

    /** The value stored as {@code name} (at most 64 bytes): {@code proposed} when no server stored one before. */
    public byte[] shared(String name, byte[] proposed) {
        String stored = database.write(tx -> {
            tx.insertInto(SERVER_SECRET)
                    .set(SERVER_SECRET.NAME, name)
                    .set(SERVER_SECRET.SECRET_HEX, HexFormat.of().formatHex(proposed))
                    .onConflictDoNothing()
                    .execute();
            return tx.select(SERVER_SECRET.SECRET_HEX).from(SERVER_SECRET).where(SERVER_SECRET.NAME.eq(name)).fetchSingle().value1();
        });
        return HexFormat.of().parseHex(stored);
    }
}
