package dev.tally.server;

import static dev.tally.server.testing.RpcAssertions.assertRpcError;
import static dev.tally.server.testing.RpcAssertions.retryInfo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.proto.v1.AccessServiceGrpc;
import dev.tally.proto.v1.AccessServiceGrpc.AccessServiceBlockingStub;
import dev.tally.proto.v1.CreateDeveloperKeyRequest;
import dev.tally.proto.v1.ListDeveloperKeysRequest;
import dev.tally.server.testing.TestServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server protects itself from abuse: per-caller rate limits and message size limits. */
class ProtectionIT {

    private static final ListDeveloperKeysRequest LIST = ListDeveloperKeysRequest.getDefaultInstance();

    @TempDir
    Path dataDir;

    @Test
    void callerOverTheRateLimit_isToldToRetryLater_whileOtherCallersAreServed() throws Exception {
        try (TestServer server = TestServer.builder(dataDir).rateLimit(0.5, 3).start()) {
            AccessServiceBlockingStub admin = server.asAdmin(AccessServiceGrpc.newBlockingStub(server.channel()));
            String otherToken = admin.createDeveloperKey(CreateDeveloperKeyRequest.newBuilder().setName("other").build()).getToken();
            admin.listDeveloperKeys(LIST);
            admin.listDeveloperKeys(LIST);

            StatusRuntimeException throttled = assertRpcError(() -> admin.listDeveloperKeys(LIST),
                    Status.Code.RESOURCE_EXHAUSTED, "TooManyRequestsException");

            assertThat(retryInfo(throttled)).hasValueSatisfying(info -> assertThat(info.getRetryDelay().getSeconds()
                    + info.getRetryDelay().getNanos() / 1e9).isPositive().isLessThanOrEqualTo(2.0));
            AccessServiceBlockingStub other = TestServer.withToken(AccessServiceGrpc.newBlockingStub(server.channel()), otherToken);
            assertThat(other.listDeveloperKeys(LIST).getDeveloperKeysCount()).isEqualTo(2);
        }
    }

    @Test
    void oversizedMessage_isRefused_andTheServerKeepsServing() throws Exception {
        try (TestServer server = TestServer.builder(dataDir).maxMessageBytes(64 * 1024).start()) {
            AccessServiceBlockingStub admin = server.asAdmin(AccessServiceGrpc.newBlockingStub(server.channel()));

            try {
                admin.createDeveloperKey(CreateDeveloperKeyRequest.newBuilder().setName("x".repeat(100 * 1024)).build());
                throw new AssertionError("an oversized message should be refused");
            } catch (StatusRuntimeException e) {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            }

            assertThat(admin.listDeveloperKeys(LIST).getDeveloperKeysCount()).isEqualTo(1);
        }
    }
}
