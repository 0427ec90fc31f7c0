package dev.tally.server;

import dev.tally.domain.common.SecretBox;
import dev.tally.persistence.JooqServerSecrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master key that seals access key secrets and API key values: {@code TALLY_MASTER_KEY} (base64 of 32
 * bytes) when set, else {@code <data-dir>/master.key}, made (mode 0600) on first start. It is never in the
 * database. The database keeps a value sealed under the first key it saw, so a server started with another
 * key refuses to start instead of failing every signed request later.
 */
final class MasterKey {

    static final String FILE = "master.key";
    private static final Logger log = LoggerFactory.getLogger(MasterKey.class);
    private static final String CHECK_NAME = "master-key-check";
    private static final String CHECK_TEXT = "tally";

    private MasterKey() {
    }

    static SecretBox load(Optional<String> configured, Path dataDir, JooqServerSecrets shared) {
        SecretBox box = configured.map(MasterKey::fromSetting).orElseGet(() -> fromFile(dataDir.resolve(FILE)));
        byte[] check = shared.shared(CHECK_NAME, box.seal(CHECK_NAME, CHECK_TEXT));
        try {
            box.open(CHECK_NAME, check);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("the master key (" + configured.map(v -> "TALLY_MASTER_KEY").orElse(dataDir.resolve(FILE).toString())
                    + ") is not the one this database's secrets were sealed with; servers sharing a database must share"
                    + " their master key (set TALLY_MASTER_KEY to the other servers' key)");
        }
        return box;
    }

    private static SecretBox fromSetting(String base64) {
        try {
            return SecretBox.fromBase64(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid TALLY_MASTER_KEY: " + e.getMessage());
        }
    }

    private static SecretBox fromFile(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            return SecretBox.fromBase64(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the master key " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid master key in " + file + ": " + e.getMessage());
        }
    }

    private static void create(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), ".master", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temp, Base64.getEncoder().encodeToString(SecretBox.newMasterKey()) + "\n");
        try {
            // A plain move would replace a key another process just made: link, and keep whichever came first.
            Files.createLink(file, temp);
            log.info("Created the master key {} (mode 0600); back it up: without it, access keys and API key values"
                    + " cannot be read", file.toAbsolutePath());
        } catch (FileAlreadyExistsException raced) {
            log.debug("Another process created {} first", file);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
