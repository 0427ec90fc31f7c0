package dev.tally.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tally-server backup --to FILE}: a consistent copy of the SQLite store, taken while a server serves
 * it (SQLite's {@code VACUUM INTO} reads one snapshot; writers go on meanwhile). The copy is checked with
 * {@code PRAGMA integrity_check} and is private (0600). The master key is not in the database: back it up
 * too, or access keys and API key values in the copy cannot be read. PostgreSQL is backed up with pg_dump.
 */
@Command(name = "backup", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Copies the SQLite store to a file, consistently, while the server runs.")
final class BackupCommand implements Callable<Integer> {

    @Option(names = "--data-dir", defaultValue = "${env:TALLY_DATA_DIR:-./data}", description = "The server's data directory (TALLY_DATA_DIR).")
    Path dataDir;

    @Option(names = "--to", required = true, description = "The file to write; it must not exist yet.")
    Path target;

    @Override
    public Integer call() throws IOException, SQLException {
        Path database = dataDir.resolve("tally.db");
        if (!Files.isRegularFile(database)) {
            throw StartupFailure.configuration("there is no SQLite store at " + database + " (with PostgreSQL, back up with pg_dump,"
                    + " see docs/operations.md)", null);
        }
        if (Files.exists(target)) {
            throw StartupFailure.configuration(target + " exists already: choose a new file, so that no backup is overwritten", null);
        }
        // Created empty and owner-only first: the copy holds what the store holds.
        Files.createFile(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        long started = System.nanoTime();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database.toAbsolutePath());
             Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA busy_timeout = 10000");
            statement.execute("VACUUM INTO '" + target.toAbsolutePath().toString().replace("'", "''") + "'");
        } catch (SQLException e) {
            Files.deleteIfExists(target);
            throw StartupFailure.unavailable("could not copy " + database + ": " + e.getMessage(), e);
        }
        try (Connection copy = DriverManager.getConnection("jdbc:sqlite:" + target.toAbsolutePath());
             ResultSet check = copy.createStatement().executeQuery("PRAGMA integrity_check")) {
            String verdict = check.next() ? check.getString(1) : "no answer";
            if (!"ok".equals(verdict)) {
                throw StartupFailure.unavailable("the copy " + target + " failed its integrity check: " + verdict, null);
            }
        }
        System.out.printf("Copied %s to %s (%d KiB, integrity ok) in %d ms. Keep %s with it: the copy's access keys and API key"
                        + " values are sealed under that master key.%n", database, target, Files.size(target) / 1024,
                (System.nanoTime() - started) / 1_000_000, dataDir.resolve("master.key"));
        return 0;
    }
}
