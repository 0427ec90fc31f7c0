package dev.tally.cli;

import dev.tally.server.testing.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A real server per test, and {@link #tally} to run the CLI against it as the bootstrap admin. */
abstract class CliTestBase {

    @TempDir
    Path dataDir;
    TestServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = TestServer.start(dataDir);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    CliRun tally(String... args) {
        return CliRun.asAdmin(server, args);
    }
}
