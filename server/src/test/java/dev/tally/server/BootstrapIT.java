package dev.tally.server;

import static dev.tally.server.testing.RpcAssertions.assertRpcError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.proto.v1.AccessServiceGrpc;
import dev.tally.proto.v1.CreateDeveloperKeyRequest;
import dev.tally.proto.v1.ListDeveloperKeysRequest;
import dev.tally.server.testing.TestServer;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** First start: an admin token, readable only by its owner, and never stored in the clear. */
class BootstrapIT {

    private static final ListDeveloperKeysRequest LIST = ListDeveloperKeysRequest.getDefaultInstance();

    @TempDir
    Path dataDir;

    @Test
    void firstStart_writesTheAdminTokenOwnerOnly_andTheStoreHoldsNoRawToken() throws Exception {
        String created;
        try (TestServer server = TestServer.start(dataDir)) {
            Path file = dataDir.resolve("admin.token");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(server.asAdmin(AccessServiceGrpc.newBlockingStub(server.channel())).listDeveloperKeys(LIST)
                    .getDeveloperKeysCount()).isEqualTo(1);
            created = server.asAdmin(AccessServiceGrpc.newBlockingStub(server.channel()))
                    .createDeveloperKey(CreateDeveloperKeyRequest.newBuilder().setName("second").build()).getToken();
        }

        String admin = Files.readString(dataDir.resolve("admin.token")).trim();
        try (Stream<Path> files = Files.list(dataDir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("tally.db")).toList()) {
                String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                assertThat(bytes).as(file.toString()).doesNotContain(admin).doesNotContain(created);
            }
        }
    }

    @Test
    void restart_keepsTheExistingKeys_andLeavesTheTokenFileAlone() throws Exception {
        String first;
        try (TestServer server = TestServer.start(dataDir)) {
            first = server.adminToken();
        }
        try (TestServer server = TestServer.start(dataDir)) {
            assertThat(server.adminToken()).isEqualTo(first);
            assertThat(server.asAdmin(AccessServiceGrpc.newBlockingStub(server.channel())).listDeveloperKeys(LIST)
                    .getDeveloperKeysCount()).isEqualTo(1);
        }
    }

    @Test
    void configuredBootstrapToken_becomesTheFirstKeysToken_andIsWrittenToTheFile() throws Exception {
        String configured = "operator-chosen-token-0123456789abcdef";
        try (TestServer server = TestServer.builder(dataDir).bootstrapToken(configured).start()) {
            assertThat(server.adminToken()).isEqualTo(configured);
            assertThat(TestServer.withToken(AccessServiceGrpc.newBlockingStub(server.channel()), configured)
                    .listDeveloperKeys(LIST).getDeveloperKeysCount()).isEqualTo(1);
            assertRpcError(() -> TestServer.withToken(AccessServiceGrpc.newBlockingStub(server.channel()),
                    configured + "x").listDeveloperKeys(LIST), Status.Code.UNAUTHENTICATED, "UnauthorizedException");
        }
    }

    @Test
    void aBootstrapTokenThatLooksLikeAnIdentityToken_isRefusedAtStart() {
        assertThatThrownBy(() -> TestServer.builder(dataDir).bootstrapToken("tally_idt_" + "a".repeat(40)).start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TALLY_BOOTSTRAP_TOKEN must not start with 'tally_idt_', the prefix of identity tokens");
        assertThat(dataDir.resolve("admin.token")).doesNotExist();
    }
}
