package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.server.testing.ServerProcess;
import io.grpc.testing.TlsTesting;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way start-up fails is one line on standard error, no stack trace anywhere, and an exit code that
 * says which kind: 2 for a setting to fix, 1 for something busy or down. Run as an operator would run it.
 */
class StartupFailuresIT {

    @TempDir
    Path dir;

    @Test
    void aPortInUse_isNamed_beforeTheDataDirectoryIsTouched() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = taken.getLocalPort();
            Path data = dir.resolve("data");

            ServerProcess.Exit grpc = run("--port", Integer.toString(port), "--http-port", "0", "--data-dir", data.toString());
            assertOneLine(grpc, 1, "tally-server: port " + port + " on 127.0.0.1 (--port) is already in use: stop what holds it, or"
                    + " choose another port with --port");

            ServerProcess.Exit http = run("--port", "0", "--http-port", Integer.toString(port), "--data-dir", data.toString());
            assertOneLine(http, 1, "tally-server: port " + port + " on 127.0.0.1 (--http-port) is already in use: stop what holds it,"
                    + " or choose another port with --http-port");
            assertThat(data).doesNotExist();
        }
    }

    @Test
    void aDataDirectoryThatCannotBeWritten_isNamed() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");

        assertOneLine(run("--port", "0", "--http-port", "0", "--data-dir", file.toString()), 2,
                "tally-server: the data directory " + file + " is not a directory: choose another with --data-dir");
        // Even root may not make a directory in sysfs.
        assertOneLine(run("--port", "0", "--http-port", "0", "--data-dir", "/sys/tally-data"), 2,
                "tally-server: the data directory /sys/tally-data is not writable (Operation not permitted): fix its owner or mode,"
                        + " or choose another with --data-dir");
    }

    @Test
    void aDatabaseThatDoesNotAnswer_isTriedAgainForTheWait_oneLinePerTry_thenOneLine() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        ServerProcess.Exit exit = run("--port", "0", "--http-port", "0", "--data-dir", dir.resolve("data").toString(), "--database-url",
                "jdbc:postgresql://127.0.0.1:" + closedPort + "/tally?user=tally&password=do-not-print-me", "--database-wait", "2s");

        assertOneLine(exit, 1, null);
        assertThat(exit.stderr()).startsWith("tally-server: PostgreSQL at 127.0.0.1:" + closedPort + " (database 'tally') is unreachable: ")
                .contains("(waited 2s, --database-wait): start it, or fix --database-url");
        assertThat(exit.stdout().lines().filter(line -> line.contains("trying again in"))).hasSizeBetween(2, 8)
                .allSatisfy(line -> assertThat(line).contains("WARN").contains("is unreachable"));
        assertThat(exit.stdout() + exit.stderr()).doesNotContain("do-not-print-me");
    }

    @Test
    void tlsFilesThatAreNotACertificateOrKey_orDoNotBelongTogether_areNamed() throws Exception {
        Path cert = copy("server1.pem");
        Path key = copy("server1.key");
        Path otherKey = copy("client.key");
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");

        ServerProcess.Exit badCert = run(tls(garbage, key));
        assertOneLine(badCert, 2, null);
        assertThat(badCert.stderr().strip()).isEqualTo("tally-server: --tls-cert " + garbage + " is not a PEM certificate chain ('BEGIN CERTIFICATE')");

        assertOneLine(run(tls(cert, garbage)), 2, "tally-server: --tls-key " + garbage + " is not an unencrypted PEM PKCS#8 private key"
                + " ('BEGIN PRIVATE KEY'); convert one with: openssl pkcs8 -topk8 -nocrypt -in <key> -out <key.pk8>");

        ServerProcess.Exit mismatch = run(tls(cert, otherKey));
        assertOneLine(mismatch, 2, null);
        assertThat(mismatch.stderr()).startsWith("tally-server: --tls-key " + otherKey + " is not the private key of --tls-cert " + cert)
                .contains("give the key the certificate was issued for");
    }

    @Test
    void aBadFlag_isOneLineAndWhereToLook() throws Exception {
        ServerProcess.Exit exit = run("--drain-delay", "soon");

        assertThat(exit.code()).isEqualTo(2);
        assertThat(exit.stderr().lines()).containsExactly(
                "tally-server: Invalid value for option '--drain-delay': 'soon' is not a duration: write it as 500ms, 5s, 2m, 1h or"
                        + " ISO-8601 (PT5S)",
                "Run 'tally-server --help' for every option.");
    }

    private String[] tls(Path cert, Path key) {
        return new String[] {"--port", "0", "--http-port", "0", "--data-dir", dir.resolve("data").toString(), "--tls-cert", cert.toString(),
            "--tls-key", key.toString()};
    }

    private ServerProcess.Exit run(String... args) throws IOException, InterruptedException {
        String[] all = new String[args.length + 2];
        all[0] = "--host";
        all[1] = "127.0.0.1";
        System.arraycopy(args, 0, all, 2, args.length);
        return ServerProcess.run(dir.resolve("logs"), Map.of(), all);
    }

    /** Exactly one line on standard error (equal to {@code line} when given), no stack trace anywhere, and {@code code}. */
    private static void assertOneLine(ServerProcess.Exit exit, int code, String line) {
        assertThat(exit.stderr().lines()).as("standard error").hasSize(1);
        if (line != null) {
            assertThat(exit.stderr().strip()).isEqualTo(line);
        }
        assertThat(exit.stdout() + exit.stderr()).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(exit.code()).as("exit code; stderr: " + exit.stderr()).isEqualTo(code);
    }

    private Path copy(String name) throws IOException {
        Path file = dir.resolve(name);
        try (InputStream in = TlsTesting.loadCert(name)) {
            Files.copy(in, file);
        }
        return file;
    }
}
