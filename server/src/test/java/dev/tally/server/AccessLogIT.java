package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.proto.v1.GetUsagePlanRequest;
import dev.tally.proto.v1.ListUsagePlansRequest;
import dev.tally.proto.v1.UsagePlanServiceGrpc;
import dev.tally.server.testing.ServerProcess;
import dev.tally.server.testing.TestServer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One access-log line per call, as JSON for log shippers (or text), naming the caller by key id and never by
 * token; and request bytes that are no message are INVALID_ARGUMENT with at most one log line a minute.
 */
class AccessLogIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void inJson_everyLineIsAnObject_andEachCallHasOneAccessLine() throws Exception {
        Path data = dir.resolve("data");
        try (ServerProcess server = ServerProcess.start(data, Map.of("TALLY_LOG_FORMAT", "json"))) {
            String admin = Files.readString(data.resolve("admin.token")).trim();
            ManagedChannel channel = NettyChannelBuilder.forTarget(server.target()).usePlaintext().build();
            try {
                var plans = TestServer.withToken(UsagePlanServiceGrpc.newBlockingStub(channel), admin);
                plans.listUsagePlans(ListUsagePlansRequest.getDefaultInstance());
                plans.listUsagePlans(ListUsagePlansRequest.getDefaultInstance());
                try {
                    plans.getUsagePlan(GetUsagePlanRequest.newBuilder().setUsagePlanId("nopeno").build());
                } catch (StatusRuntimeException expected) {
                    assertThat(expected.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                }
                try {
                    TestServer.withToken(UsagePlanServiceGrpc.newBlockingStub(channel), "tally_dev_" + "x".repeat(40))
                            .listUsagePlans(ListUsagePlansRequest.getDefaultInstance());
                } catch (StatusRuntimeException expected) {
                    assertThat(expected.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                }
            } finally {
                channel.shutdownNow();
            }
            server.stop();

            List<JsonNode> lines = server.log().lines().map(AccessLogIT::parse).toList();
            assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(line.has("@timestamp") && line.has("level")).isTrue());
            List<JsonNode> calls = lines.stream().filter(line -> line.path("logger_name").asText().equals("tally.access")).toList();
            assertThat(calls).hasSize(4);
            JsonNode first = calls.get(0);
            assertThat(first.path("door").asText()).isEqualTo("grpc");
            assertThat(first.path("method").asText()).isEqualTo("tally.v1.UsagePlanService/ListUsagePlans");
            assertThat(first.path("status").asText()).isEqualTo("OK");
            assertThat(first.path("caller").asText()).isEqualTo("developer");
            assertThat(first.path("key_id").asText()).isNotBlank().isNotEqualTo("-");
            assertThat(first.path("duration_us").isIntegralNumber()).isTrue();
            assertThat(first.path("request_bytes").isIntegralNumber()).isTrue();
            assertThat(first.path("response_bytes").asLong()).isGreaterThanOrEqualTo(0);
            assertThat(calls.get(2).path("status").asText()).isEqualTo("NOT_FOUND");
            assertThat(calls.get(3).path("status").asText()).isEqualTo("UNAUTHENTICATED");
            assertThat(calls.get(3).path("caller").asText()).isEqualTo("none");
            assertThat(server.log()).doesNotContain(admin).doesNotContain("x".repeat(40));
        }
    }

    @Test
    void malformedRequestBytes_areInvalidArgument_andTheLogStaysBounded() throws Exception {
        Path data = dir.resolve("data");
        try (ServerProcess server = ServerProcess.start(data, Map.of("TALLY_ACCESS_LOG", "off"))) {
            ManagedChannel channel = NettyChannelBuilder.forTarget(server.target()).usePlaintext().build();
            String admin = Files.readString(data.resolve("admin.token")).trim();
            try {
                int before = server.log().length();
                // A field 1 of wire type "length-delimited" whose length runs past the end: no parser accepts it.
                byte[] malformed = {0x0a, (byte) 0xff, 0x01, 0x41};
                for (int i = 0; i < 300; i++) {
                    assertThat(callRaw(channel, HealthGrpc.getCheckMethod().getFullMethodName(), malformed, null).getCode())
                            .isEqualTo(Status.Code.INVALID_ARGUMENT);
                }
                Status consume = callRaw(channel, UsagePlanServiceGrpc.getConsumeQuotaMethod().getFullMethodName(), malformed, admin);
                assertThat(consume.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                assertThat(consume.getDescription()).isEqualTo("the request is not a valid tally.v1.UsagePlanService/ConsumeQuota request message");

                // Not gRPC at all: HTTP/1 on the gRPC port, as a confused scraper would send it.
                for (int i = 0; i < 50; i++) {
                    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.grpcPort())) {
                        socket.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
                        socket.getInputStream().readAllBytes();
                    }
                }
                Thread.sleep(500);

                String added = server.log().substring(before);
                assertThat(added.lines().count()).as(added).isLessThanOrEqualTo(2);
                assertThat(added).doesNotContain("\tat ").contains("Refused 1 malformed request message(s)")
                        .containsPattern("[0-9]+ connection failure\\(s\\) before gRPC was spoken, in the last minute; the latest:"
                                + " Http2Exception: Unexpected HTTP/1.x request: GET /metrics");
            } finally {
                channel.shutdownNow();
            }
        }
    }

    private static Status callRaw(ManagedChannel channel, String method, byte[] body, String token) {
        return dev.tally.server.testing.RawCalls.call(channel, method, body, token);
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not a JSON line: " + line, e);
        }
    }
}
