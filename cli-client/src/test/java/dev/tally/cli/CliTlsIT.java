package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.server.testing.TestServer;
import io.grpc.testing.TlsTesting;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against a TLS server: --ca-cert trusts its CA, --authority names the certificate's host. */
class CliTlsIT {

    @TempDir
    Path dataDir;
    @TempDir
    Path certs;

    @Test
    void caCertAndAuthority_reachATlsServer_andPlaintextDoesNot() throws Exception {
        try (TestServer server = TestServer.builder(dataDir).tls(copy("server1.pem"), copy("server1.key"), Optional.empty()).start()) {
            String tokenFile = dataDir.resolve("admin.token").toString();

            CliRun secure = CliRun.run(server.target(), "--ca-cert", copy("ca.pem").toString(), "--authority", "foo.test.google.fr",
                    "--token-file", tokenFile, "dev-keys", "list");
            CliRun plaintext = CliRun.run(server.target(), "--timeout", "5", "health");

            assertThat(secure.exitCode()).as(secure.err()).isZero();
            assertThat(secure.out()).contains("bootstrap admin");
            assertThat(plaintext.exitCode()).isEqualTo(1);
            assertThat(plaintext.err()).startsWith("error: cannot reach the server at " + server.target()).contains("--tls");
        }
    }

    private Path copy(String name) throws IOException {
        Path file = certs.resolve(name);
        if (!Files.exists(file)) {
            try (InputStream in = TlsTesting.loadCert(name)) {
                Files.copy(in, file);
            }
        }
        return file;
    }
}
