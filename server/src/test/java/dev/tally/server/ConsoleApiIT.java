package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.proto.v1.AccessServiceGrpc;
import dev.tally.proto.v1.CreateAccessKeyRequest;
import dev.tally.proto.v1.CreateAccessKeyResponse;
import dev.tally.proto.v1.GetUsageRequest;
import dev.tally.proto.v1.UsageServiceGrpc;
import dev.tally.server.testing.TestServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's JSON API over a real server: who may sign in (developer tokens and access keys; not identity
 * tokens, bad credentials or none), what each view returns against the gRPC reads, bad input, and the
 * security headers on every reply.
 */
class ConsoleApiIT {

    @TempDir
    static Path dir;
    private static TestServer server;
    private static ConsoleFixture fixture;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir);
        fixture = new ConsoleFixture(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> get(String path, String credential) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.httpEndpoint() + path));
        if (credential != null) {
            request.header("Authorization", "Bearer " + credential);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void signIn_takesDeveloperTokensAndAccessKeys_andRefusesEverythingElse() throws Exception {
        CreateAccessKeyResponse key = server.asAdmin(AccessServiceGrpc.newBlockingStub(server.channel()))
                .createAccessKey(CreateAccessKeyRequest.newBuilder().setDescription("console").build());
        String accessKey = key.getAccessKey().getAccessKeyId() + ":" + key.getSecretAccessKey();

        assertThat(get("/console/api/session", server.adminToken()).statusCode()).isEqualTo(200);
        assertThat(get("/console/api/session", accessKey).statusCode()).isEqualTo(200);
        assertThat(get("/console/api/session", null).statusCode()).isEqualTo(401);
        assertThat(get("/console/api/session", "tally_dev_" + "0".repeat(40)).statusCode()).isEqualTo(401);
        HttpResponse<String> wrongSecret = get("/console/api/session", key.getAccessKey().getAccessKeyId() + ":" + "x".repeat(40));
        assertThat(wrongSecret.statusCode()).isEqualTo(401);
        assertThat(wrongSecret.body()).doesNotContain(key.getSecretAccessKey());
        HttpResponse<String> identity = get("/console/api/plans", fixture.identityToken);
        assertThat(identity.statusCode()).isEqualTo(403);
        assertThat(identity.body()).contains("for developers").doesNotContain(fixture.identityToken);
    }

    @Test
    void views_showWhatTheGrpcReadsShow() throws Exception {
        JsonNode plans = JSON.readTree(get("/console/api/plans", server.adminToken()).body());
        assertThat(plans.path("plans")).singleElement().satisfies(plan -> {
            assertThat(plan.path("id").asText()).isEqualTo(fixture.planId);
            assertThat(plan.path("key_count").asLong()).isEqualTo(3);
            assertThat(plan.path("quota_limit").asLong()).isEqualTo(1000);
            assertThat(plan.path("period").asText()).isEqualTo("MONTH");
            assertThat(plan.path("time_zone").asText()).isEqualTo("UTC");
        });

        JsonNode usage = JSON.readTree(get("/console/api/plans/" + fixture.planId + "/usage", server.adminToken()).body());
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        assertThat(usage.path("from").asText()).isEqualTo(today.withDayOfMonth(1).toString());
        var grpc = server.asAdmin(UsageServiceGrpc.newBlockingStub(server.channel())).getUsage(GetUsageRequest.newBuilder()
                .setUsagePlanId(fixture.planId).setStartDate(usage.path("from").asText()).setEndDate(usage.path("to").asText()).build());
        for (JsonNode key : usage.path("keys")) {
            var days = grpc.getItemsMap().get(key.path("key_id").asText()).getDaysList();
            assertThat(key.path("used")).hasSize(days.size());
            for (int i = 0; i < days.size(); i++) {
                assertThat(key.path("used").get(i).asLong()).isEqualTo(days.get(i).getUsed());
                assertThat(key.path("remaining").get(i).asLong()).isEqualTo(days.get(i).getRemaining());
            }
        }

        assertThat(usage.path("closest")).extracting(k -> k.path("key_id").asText())
                .containsExactly(fixture.keyIds.get(2), fixture.keyIds.get(1), fixture.keyIds.get(0));

        JsonNode license = JSON.readTree(get("/console/api/licenses/" + URLEncoder.encode(fixture.licenseArn, StandardCharsets.UTF_8),
                server.adminToken()).body());
        assertThat(license.path("entitlements").get(0).path("consumed").asLong()).isEqualTo(7);
        assertThat(license.path("entitlements").get(0).path("max_count").asLong()).isEqualTo(5);
        assertThat(license.path("checkouts")).hasSize(3).allSatisfy(c -> assertThat(c.path("token_prefix").asText()).hasSize(8));

        JsonNode poolList = JSON.readTree(get("/console/api/pools", server.adminToken()).body());
        assertThat(poolList.path("pools")).singleElement().satisfies(p -> {
            assertThat(p.path("name").asText()).isEqualTo("phones");
            assertThat(p.path("data_storage").asLong()).isEqualTo(9);
            assertThat(p.path("sync_sessions").asLong()).isEqualTo(1);
        });
        JsonNode pool = JSON.readTree(get("/console/api/pools/" + fixture.poolId, server.adminToken()).body());
        assertThat(pool.path("pool").path("data_storage").asLong()).isEqualTo(9);
        assertThat(pool.path("identities").get(0).path("id").asText()).isEqualTo(fixture.identityId);
        JsonNode identity = JSON.readTree(get("/console/api/pools/" + fixture.poolId + "/identities/" + fixture.identityId,
                server.adminToken()).body());
        assertThat(identity.path("datasets").get(0).path("name").asText()).isEqualTo("prefs");
    }

    @Test
    void badInput_getsAClearErrorNamingTheValue_andEveryReplyCarriesTheSecurityHeaders() throws Exception {
        String token = server.adminToken();
        HttpResponse<String> badDate = get("/console/api/plans/" + fixture.planId + "/usage?from=yesterday", token);
        assertThat(badDate.statusCode()).isEqualTo(400);
        assertThat(badDate.body()).contains("yesterday");
        assertThat(get("/console/api/plans/nope", token).statusCode()).isEqualTo(400);
        assertThat(get("/console/api/plans/zzzzzz", token).statusCode()).isEqualTo(404);
        assertThat(get("/console/api/no-such-view", token).statusCode()).isEqualTo(404);
        assertThat(get("/console/api/pools/%25zz%E9", token).statusCode()).isEqualTo(400);
        assertThat(get("/console/api/licenses/not-an-arn", token).statusCode()).isEqualTo(400);
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create(server.httpEndpoint() + "/console/api/plans"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(400);
        assertThat(get("/console/nothing-here.js", null).statusCode()).isEqualTo(404);

        for (HttpResponse<String> reply : java.util.List.of(get("/console/", null), get("/console/app.js", null), badDate, post)) {
            assertThat(reply.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                    .contains("script-src 'self'").contains("frame-ancestors 'none'").doesNotContain("unsafe-inline"));
            assertThat(reply.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(reply.body()).doesNotContain("at dev.tally");
        }
        assertThat(get("/console/", null).body()).doesNotContain("<script>").doesNotContain("style=");
        assertThat(get("/console", null).statusCode()).isEqualTo(301);
    }

    @Test
    void apiCalls_areCountedByView_withoutIds() throws Exception {
        get("/console/api/plans/" + fixture.planId + "/usage", server.adminToken());
        get("/console/api/plans", null);
        String metrics = get("/metrics", null).body();
        assertThat(metrics).containsPattern("tally_rpc_requests_total\\{[^}]*door=\"console\"[^}]*method=\"plan.usage\"")
                .containsPattern("tally_rpc_requests_total\\{code=\"401\",door=\"console\",method=\"plans\"")
                .doesNotContain(fixture.planId + "\"");
    }
}
