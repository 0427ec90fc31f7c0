package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.server.testing.TestServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a grpcurl user or a load balancer sees before any token: reflection and health. */
class ReflectionAndHealthIT {

    private static final List<String> SERVED = List.of("tally.v1.AccessService", "tally.v1.SyncService", "tally.v1.UsageService", "tally.v1.UsagePlanService",
            "tally.v1.LicenseService",
            "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection");

    @TempDir
    Path dataDir;

    @Test
    void reflectionV1_listsEveryServedService_withoutAToken() throws Exception {
        try (TestServer server = TestServer.start(dataDir)) {
            CompletableFuture<io.grpc.reflection.v1.ServerReflectionResponse> answer = new CompletableFuture<>();
            StreamObserver<io.grpc.reflection.v1.ServerReflectionRequest> requests =
                    io.grpc.reflection.v1.ServerReflectionGrpc.newStub(server.channel()).serverReflectionInfo(completing(answer));
            requests.onNext(io.grpc.reflection.v1.ServerReflectionRequest.newBuilder().setListServices("*").build());
            requests.onCompleted();

            assertThat(answer.get(10, TimeUnit.SECONDS).getListServicesResponse().getServiceList())
                    .extracting(io.grpc.reflection.v1.ServiceResponse::getName)
                    .containsExactlyInAnyOrderElementsOf(SERVED);
        }
    }

    @Test
    void reflectionV1alpha_listsEveryServedService_andDescribesTheContract() throws Exception {
        try (TestServer server = TestServer.start(dataDir)) {
            CompletableFuture<io.grpc.reflection.v1alpha.ServerReflectionResponse> list = new CompletableFuture<>();
            StreamObserver<io.grpc.reflection.v1alpha.ServerReflectionRequest> requests =
                    io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(server.channel()).serverReflectionInfo(completing(list));
            requests.onNext(io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder().setListServices("*").build());
            requests.onCompleted();
            CompletableFuture<io.grpc.reflection.v1alpha.ServerReflectionResponse> file = new CompletableFuture<>();
            StreamObserver<io.grpc.reflection.v1alpha.ServerReflectionRequest> describe =
                    io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(server.channel()).serverReflectionInfo(completing(file));
            describe.onNext(io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder()
                    .setFileContainingSymbol("tally.v1.AccessService").build());
            describe.onCompleted();

            assertThat(list.get(10, TimeUnit.SECONDS).getListServicesResponse().getServiceList())
                    .extracting(io.grpc.reflection.v1alpha.ServiceResponse::getName)
                    .containsExactlyInAnyOrderElementsOf(SERVED);
            assertThat(file.get(10, TimeUnit.SECONDS).getFileDescriptorResponse().getFileDescriptorProtoCount()).isPositive();
        }
    }

    /** grpcurl and buf curl ask for the file holding an error detail's type before they print it. */
    @Test
    void reflectionV1_servesTheErrorDetailTypes_soGrpcurlCanPrintTheReason() throws Exception {
        try (TestServer server = TestServer.start(dataDir)) {
            for (String symbol : List.of("google.rpc.ErrorInfo", "google.rpc.RetryInfo")) {
                CompletableFuture<io.grpc.reflection.v1.ServerReflectionResponse> answer = new CompletableFuture<>();
                StreamObserver<io.grpc.reflection.v1.ServerReflectionRequest> requests =
                        io.grpc.reflection.v1.ServerReflectionGrpc.newStub(server.channel()).serverReflectionInfo(completing(answer));
                requests.onNext(io.grpc.reflection.v1.ServerReflectionRequest.newBuilder().setFileContainingSymbol(symbol).build());
                requests.onCompleted();

                io.grpc.reflection.v1.ServerReflectionResponse response = answer.get(10, TimeUnit.SECONDS);
                assertThat(response.hasErrorResponse()).as("%s: %s", symbol, response.getErrorResponse()).isFalse();
                com.google.protobuf.DescriptorProtos.FileDescriptorProto file = com.google.protobuf.DescriptorProtos.FileDescriptorProto
                        .parseFrom(response.getFileDescriptorResponse().getFileDescriptorProto(0));
                assertThat(file.getName()).isEqualTo("google/rpc/error_details.proto");
                assertThat(file.getMessageTypeList()).extracting(com.google.protobuf.DescriptorProtos.DescriptorProto::getName)
                        .contains(symbol.substring("google.rpc.".length()));
            }
        }
    }

    @Test
    void health_isServingOverallAndPerService_andUnknownServicesAreNotFound() throws Exception {
        try (TestServer server = TestServer.start(dataDir)) {
            HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(server.channel());

            assertThat(health.check(request("")).getStatus()).isEqualTo(ServingStatus.SERVING);
            assertThat(health.check(request("tally.v1.AccessService")).getStatus()).isEqualTo(ServingStatus.SERVING);
            assertThat(health.check(request("tally.v1.SyncService")).getStatus()).isEqualTo(ServingStatus.SERVING);
            try {
                health.check(request("tally.v1.NoSuchService"));
                throw new AssertionError("an unknown service should be NOT_FOUND");
            } catch (StatusRuntimeException e) {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
            }
        }
    }

    @Test
    void health_turnsNotServingWhileTheServerDrains() throws Exception {
        try (TestServer server = TestServer.builder(dataDir).drainDelay(Duration.ofSeconds(3)).start()) {
            HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(server.channel());
            assertThat(health.check(request("")).getStatus()).isEqualTo(ServingStatus.SERVING);

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::stopServer);
            ServingStatus seen = ServingStatus.SERVING;
            for (int i = 0; i < 250 && seen == ServingStatus.SERVING; i++) {
                seen = health.check(request("")).getStatus();
                Thread.sleep(10);
            }

            assertThat(seen).isEqualTo(ServingStatus.NOT_SERVING);
            assertThat(health.check(request("tally.v1.AccessService")).getStatus()).isEqualTo(ServingStatus.NOT_SERVING);
            stopping.get(30, TimeUnit.SECONDS);
        }
    }

    private static HealthCheckRequest request(String service) {
        return HealthCheckRequest.newBuilder().setService(service).build();
    }

    private static <T> StreamObserver<T> completing(CompletableFuture<T> first) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
                first.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                first.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                first.completeExceptionally(new AssertionError("the stream ended without a response"));
            }
        };
    }
}
