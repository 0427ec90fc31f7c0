package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.server.testing.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data directory is 0700 and every file in it 0600, whatever the umask; wider modes found at start are named once. */
class FileModesIT {

    @TempDir
    Path dir;

    @Test
    void underAnOpenUmask_theDirectoryAndEveryFileArePrivate() throws Exception {
        Path data = dir.resolve("nested").resolve("data");
        try (ServerProcess server = ServerProcess.startUnderUmask("000", data, Map.of())) {
            assertThat(mode(data)).isEqualTo("rwx------");
            for (String file : List.of("tally.db", "tally.db-wal", "tally.db-shm", "admin.token", "master.key")) {
                assertThat(data.resolve(file)).exists();
                assertThat(mode(data.resolve(file))).as(file).isEqualTo("rw-------");
            }
            assertThat(server.log()).doesNotContain("Readable by others");
        }
    }

    @Test
    void filesMadeWiderSince_areNamedInOneWarningAtStart() throws Exception {
        Path data = dir.resolve("data");
        try (ServerProcess server = ServerProcess.start(data, Map.of())) {
            server.stop();
        }
        Files.setPosixFilePermissions(data.resolve("tally.db"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));

        try (ServerProcess server = ServerProcess.start(data, Map.of())) {
            List<String> warnings = server.log().lines().filter(line -> line.contains("Readable by others")).toList();
            assertThat(warnings).hasSize(1);
            assertThat(warnings.get(0)).contains("WARN").contains(data + " (rwxr-xr-x)").contains(data.resolve("tally.db") + " (rw-r--r--)")
                    .doesNotContain("admin.token");
        }
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
