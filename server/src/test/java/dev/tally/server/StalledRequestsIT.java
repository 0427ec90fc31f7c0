package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.proto.v1.ListUsagePlansRequest;
import dev.tally.proto.v1.UsagePlanServiceGrpc;
import dev.tally.server.testing.TestServer;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A call that never sends its request is ended by the server after --request-timeout, not held forever. */
class StalledRequestsIT {

    @TempDir
    Path dir;

    @Test
    void aCallWhoseRequestNeverArrives_isEndedWithDeadlineExceeded_andOthersAreServed() throws Exception {
        try (TestServer server = TestServer.builder(dir).requestTimeout(Duration.ofSeconds(1)).start()) {
            CompletableFuture<Status> ended = new CompletableFuture<>();
            // Headers go out, the request message never does. (grpc-java holds a unary call's headers back until its
            // message, so the client side calls the method as a stream: then they go out at once.)
            var stalling = HealthGrpc.getCheckMethod().toBuilder().setType(io.grpc.MethodDescriptor.MethodType.CLIENT_STREAMING).build();
            ClientCall<HealthCheckRequest, io.grpc.health.v1.HealthCheckResponse> call = server.channel().newCall(stalling, CallOptions.DEFAULT);
            call.start(new ClientCall.Listener<io.grpc.health.v1.HealthCheckResponse>() {
                @Override
                public void onClose(Status status, Metadata trailers) {
                    ended.complete(status);
                }
            }, new Metadata());
            call.request(1);

            Status status = ended.get(20, TimeUnit.SECONDS);
            assertThat(status.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
            assertThat(status.getDescription()).isEqualTo("the request did not arrive within 1 s of the call's start");

            // The connection and the server go on serving complete calls, however slow the first one was.
            assertThat(server.asAdmin(UsagePlanServiceGrpc.newBlockingStub(server.channel()))
                    .listUsagePlans(ListUsagePlansRequest.getDefaultInstance()).getUsagePlansCount()).isZero();
        }
    }
}
