package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.persistence.TestStores;
import dev.tally.server.testing.TcpProxy;
import dev.tally.server.testing.TestServer;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readiness follows the store: when PostgreSQL stops answering (here, the connection to it is cut), gRPC
 * health says NOT_SERVING and {@code /readyz} 503; when it answers again, both recover on their own.
 * {@code /healthz} (liveness) stays 200 throughout: the process is fine, only its store is not.
 */
class ReadinessIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void healthAndReadyz_followTheStore_downAndBackUp() throws Exception {
        try (TestStores.PostgresSchema schema = TestStores.postgresSchema()) {
            try (TcpProxy proxy = TcpProxy.inFrontOf(schema.url())) {
                try (TestServer server = TestServer.builder(dir).sharingDatabaseOf(proxy.route(schema.url())).start()) {
                    var health = HealthGrpc.newBlockingStub(server.channel());
                    Supplier<ServingStatus> status = () -> health.withDeadlineAfter(5, TimeUnit.SECONDS)
                            .check(HealthCheckRequest.getDefaultInstance()).getStatus();
                    assertThat(status.get()).isEqualTo(ServingStatus.SERVING);
                    assertThat(get(server, "/readyz")).isEqualTo(200);

                    proxy.cut();
                    await(() -> status.get() == ServingStatus.NOT_SERVING);
                    assertThat(get(server, "/readyz")).isEqualTo(503);
                    assertThat(get(server, "/healthz")).isEqualTo(200);
                    assertThat(metric(server, "tally_store_up")).isEqualTo("0.0");

                    proxy.restore();
                    await(() -> status.get() == ServingStatus.SERVING);
                    assertThat(get(server, "/readyz")).isEqualTo(200);
                    assertThat(metric(server, "tally_store_up")).isEqualTo("1.0");
                }
            }
        }
    }

    private static void await(Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        while (!condition.get()) {
            assertThat(System.nanoTime()).as("within 45 s").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static int get(TestServer server, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.httpEndpoint() + path)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static String metric(TestServer server, String name) throws Exception {
        String text = HTTP.send(HttpRequest.newBuilder(URI.create(server.httpEndpoint() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return text.lines().filter(line -> line.startsWith(name + " ")).map(line -> line.substring(name.length() + 1)).findFirst().orElse("");
    }
}
