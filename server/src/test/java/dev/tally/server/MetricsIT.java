package dev.tally.server;

import static dev.tally.server.testing.RpcAssertions.assertRpcError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.proto.v1.CheckoutLicenseRequest;
import dev.tally.proto.v1.CheckoutType;
import dev.tally.proto.v1.ConsumeQuotaRequest;
import dev.tally.proto.v1.CreateApiKeyRequest;
import dev.tally.proto.v1.CreateUsagePlanKeyRequest;
import dev.tally.proto.v1.CreateUsagePlanRequest;
import dev.tally.proto.v1.EntitlementData;
import dev.tally.proto.v1.EntitlementUnit;
import dev.tally.proto.v1.GetUsagePlanRequest;
import dev.tally.proto.v1.LicenseServiceGrpc;
import dev.tally.proto.v1.QuotaPeriod;
import dev.tally.proto.v1.QuotaSettings;
import dev.tally.proto.v1.UsagePlanServiceGrpc;
import dev.tally.server.testing.TestServer;
import io.grpc.Status;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} on the HTTP listener: counters that move by exactly the calls made, through both
 * doors; an exposition that promtool accepts; and a real Prometheus server that scrapes it.
 */
class MetricsIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (\\S+)$");
    private static final String CONSUME = "tally.v1.UsagePlanService/ConsumeQuota";

    @TempDir
    Path dir;

    private TestServer server;
    private UsagePlanServiceGrpc.UsagePlanServiceBlockingStub plans;

    @BeforeEach
    void start() throws IOException {
        server = TestServer.builder(dir.resolve("data")).awsAuth(ServerConfig.AwsAuth.OPEN).start();
        plans = server.asAdmin(UsagePlanServiceGrpc.newBlockingStub(server.channel()));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void callsAndOutcomes_moveTheirCountersByExactlyWhatWasDone() throws Exception {
        String plan = plans.createUsagePlan(CreateUsagePlanRequest.newBuilder().setName("metered")
                .setQuota(QuotaSettings.newBuilder().setLimit(5).setPeriod(QuotaPeriod.QUOTA_PERIOD_DAY)).build()).getUsagePlan().getId();
        var key = plans.createApiKey(CreateApiKeyRequest.newBuilder().setName("k").setEnabled(true).build()).getApiKey();
        plans.createUsagePlanKey(CreateUsagePlanKeyRequest.newBuilder().setUsagePlanId(plan).setKeyId(key.getId()).build());
        Map<String, Double> before = scrape();

        for (int i = 0; i < 4; i++) {
            plans.consumeQuota(ConsumeQuotaRequest.newBuilder().setUsagePlanId(plan).setKeyId(key.getId()).setCost(1).build());
        }
        plans.consumeQuota(ConsumeQuotaRequest.newBuilder().setUsagePlanId(plan).setKeyId(key.getId()).setCost(3).build());
        plans.consumeQuota(ConsumeQuotaRequest.newBuilder().setUsagePlanId(plan).setApiKey("Z".repeat(40)).build());
        assertRpcError(() -> plans.getUsagePlan(GetUsagePlanRequest.newBuilder().setUsagePlanId("nopeno").build()),
                Status.Code.NOT_FOUND, "NotFoundException");
        assertThat(get("/usageplans").statusCode()).isEqualTo(200);
        assertThat(get("/usageplans/nopeno").statusCode()).isEqualTo(404);
        var licenses = server.asAdmin(LicenseServiceGrpc.newBlockingStub(server.channel()));
        String arn = licenses.createLicense(LicensesIT.officeLicense()).getLicenseArn();
        licenses.checkoutLicense(checkout(arn, "1"));
        assertRpcError(() -> licenses.checkoutLicense(checkout(arn, "5")), Status.Code.RESOURCE_EXHAUSTED, "NoEntitlementsAllowedException");
        Map<String, Double> after = scrape();

        assertThat(moved(before, after, "tally_rpc_requests_total", "code=\"OK\"", "door=\"grpc\"", "method=\"" + CONSUME + "\"")).isEqualTo(6);
        assertThat(moved(before, after, "tally_rpc_requests_total", "code=\"NOT_FOUND\"", "door=\"grpc\"",
                "method=\"tally.v1.UsagePlanService/GetUsagePlan\"")).isEqualTo(1);
        assertThat(moved(before, after, "tally_rpc_requests_total", "code=\"200\"", "door=\"aws\"", "method=\"apigateway.GetUsagePlans\""))
                .isEqualTo(1);
        assertThat(moved(before, after, "tally_rpc_requests_total", "code=\"404\"", "door=\"aws\"", "method=\"apigateway.GetUsagePlan\""))
                .isEqualTo(1);
        assertThat(moved(before, after, "tally_rpc_duration_seconds_count", "door=\"grpc\"", "method=\"" + CONSUME + "\"")).isEqualTo(6);
        assertThat(moved(before, after, "tally_rpc_duration_seconds_bucket", "door=\"grpc\"", "method=\"" + CONSUME + "\"", "le=\"+Inf\""))
                .isEqualTo(6);
        assertThat(moved(before, after, "tally_quota_decisions_total", "outcome=\"allowed\"")).isEqualTo(4);
        assertThat(moved(before, after, "tally_quota_decisions_total", "outcome=\"quota_exceeded\"")).isEqualTo(1);
        assertThat(moved(before, after, "tally_quota_decisions_total", "outcome=\"key_rejected\"")).isEqualTo(1);
        assertThat(moved(before, after, "tally_quota_units_metered_total", "source=\"consume\"")).isEqualTo(4);
        assertThat(moved(before, after, "tally_license_checkouts_total", "outcome=\"granted\"")).isEqualTo(1);
        assertThat(moved(before, after, "tally_license_checkouts_total", "outcome=\"no_entitlements_allowed\"")).isEqualTo(1);
        assertThat(after.get("tally_rpc_in_flight{door=\"grpc\"}")).isEqualTo(0);
        assertThat(after.get("tally_store_up")).isEqualTo(1);
        assertThat(moved(before, after, "tally_cache_lookups_total", "cache=\"usage_plan\"", "result=\"hit\"")
                + moved(before, after, "tally_cache_lookups_total", "cache=\"usage_plan\"", "result=\"miss\"")).isGreaterThanOrEqualTo(6);
        assertThat(after.keySet()).anyMatch(series -> series.startsWith("tally_store_batch_size_count{queue=\"writer\"}"))
                .anyMatch(series -> series.startsWith("hikaricp_connections{"))
                .anyMatch(series -> series.startsWith("jvm_memory_used_bytes{"))
                .anyMatch(series -> series.startsWith("process_cpu_usage"));
        // Never an id, a key or a token as a label value.
        String exposition = text();
        assertThat(exposition).doesNotContain(plan).doesNotContain(key.getId()).doesNotContain(key.getValue())
                .doesNotContain(server.adminToken()).doesNotContain(arn);
    }

    @Test
    void theExposition_passesPromtool() throws Exception {
        assertRpcError(() -> plans.getUsagePlan(GetUsagePlanRequest.newBuilder().setUsagePlanId("nopeno").build()),
                Status.Code.NOT_FOUND, "NotFoundException");
        Path file = Files.writeString(dir.resolve("metrics.txt"), text());
        Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectInput(file.toFile()).redirectErrorStream(true).start();
        String output = new String(promtool.getInputStream().readAllBytes());
        assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(promtool.exitValue()).as(output).isZero();
    }

    @Test
    void aRealPrometheus_scrapesIt() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path config = Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: tally
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(server.httpPort()));
        Process prometheus = new ProcessBuilder("prometheus", "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + port).redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
        try {
            String query = "http://127.0.0.1:" + port + "/api/v1/query?query=" + java.net.URLEncoder.encode(
                    // 1 when the scrape is up, plus one series per door (gRPC, AWS, console): 4 once Prometheus has Tally's own metrics.
                    "sum(up{job=\"tally\"}) + count(tally_rpc_in_flight)", java.nio.charset.StandardCharsets.UTF_8);
            String answer = "";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && !answer.contains(",\"4\"]")) {
                Thread.sleep(500);
                try {
                    answer = HTTP.send(HttpRequest.newBuilder(URI.create(query)).build(), HttpResponse.BodyHandlers.ofString()).body();
                } catch (IOException notYet) {
                    answer = "";
                }
            }
            assertThat(answer).as(Files.readString(dir.resolve("prometheus.log"))).contains("\"status\":\"success\"")
                    .contains(",\"4\"]");
            // Every query of the dashboard we ship is one Prometheus accepts.
            var dashboard = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Path.of("..", "docs", "grafana-dashboard.json").toFile());
            List<String> expressions = dashboard.findValues("expr").stream().map(node -> node.asText().replace("$__rate_interval", "1m"))
                    .toList();
            assertThat(expressions).hasSizeGreaterThan(10);
            for (String expression : expressions) {
                String result = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
                        + java.net.URLEncoder.encode(expression, java.nio.charset.StandardCharsets.UTF_8))).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertThat(result).as(expression).contains("\"status\":\"success\"");
            }
        } finally {
            prometheus.destroy();
            prometheus.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void theAlertRulesInTheOperationsGuide_passPromtool() throws Exception {
        String guide = Files.readString(Path.of("..", "docs", "operations.md"));
        Matcher rules = Pattern.compile("```yaml\n(groups:.*?)```", Pattern.DOTALL).matcher(guide);
        assertThat(rules.find()).as("a rules block in docs/operations.md").isTrue();
        Path file = Files.writeString(dir.resolve("rules.yml"), rules.group(1));
        Process promtool = new ProcessBuilder("promtool", "check", "rules", file.toString()).redirectErrorStream(true).start();
        String output = new String(promtool.getInputStream().readAllBytes());
        assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(promtool.exitValue()).as(output).isZero();
        assertThat(output).contains("SUCCESS: 5 rules found");
    }

    private static CheckoutLicenseRequest checkout(String arn, String seats) {
        return CheckoutLicenseRequest.newBuilder().setLicenseArn(arn).setCheckoutType(CheckoutType.CHECKOUT_TYPE_PROVISIONAL)
                .setNodeId("node-1").addEntitlements(EntitlementData.newBuilder().setName("Seats").setValue(seats)
                        .setUnit(EntitlementUnit.ENTITLEMENT_UNIT_COUNT)).build();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.httpEndpoint() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String text() throws IOException, InterruptedException {
        HttpResponse<String> response = get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        return response.body();
    }

    /** Every sample of the exposition, by its series ({@code name{labels}}). */
    private Map<String, Double> scrape() throws IOException, InterruptedException {
        Map<String, Double> samples = new HashMap<>();
        for (String line : text().lines().toList()) {
            Matcher sample = SAMPLE.matcher(line);
            if (!line.startsWith("#") && sample.matches()) {
                samples.put(sample.group(1) + (sample.group(2) == null ? "" : sample.group(2)), Double.parseDouble(sample.group(3)));
            }
        }
        return samples;
    }

    /** How much the one series of {@code name} carrying every label moved between two scrapes. */
    private static double moved(Map<String, Double> before, Map<String, Double> after, String name, String... labels) {
        List<String> series = after.keySet().stream().filter(s -> s.startsWith(name + "{") || s.equals(name))
                .filter(s -> List.of(labels).stream().allMatch(s::contains)).toList();
        assertThat(series).as(name + " " + List.of(labels)).hasSize(1);
        return after.get(series.get(0)) - before.getOrDefault(series.get(0), 0.0);
    }
}
