package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.proto.v1.GetUsageRequest;
import dev.tally.proto.v1.UsageServiceGrpc;
import dev.tally.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console in a real browser: Debian's Chromium driven by playwright-core from npm (the project's
 * package.json; no browser download), running {@code src/test/browser/console.test.mjs} against a real
 * server. Screenshots of every page are kept in {@code target/console-screenshots}.
 */
class ConsoleBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path dir;

    @Test
    void everyPage_inChromium() throws Exception {
        assertThat(CHROMIUM).as("Debian's chromium must be installed (.ci/run installs it)").exists();
        Path project = Path.of("").toAbsolutePath().getParent();
        if (!Files.isDirectory(project.resolve("node_modules/playwright-core"))) {
            run(project, dir.resolve("npm.log"), "npm", "install", "--no-audit", "--no-fund");
        }
        try (TestServer server = TestServer.start(dir.resolve("server"))) {
            ConsoleFixture fixture = new ConsoleFixture(server);
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            var usage = server.asAdmin(UsageServiceGrpc.newBlockingStub(server.channel())).getUsage(GetUsageRequest.newBuilder()
                    .setUsagePlanId(fixture.planId).setStartDate(today.minusDays(ConsoleFixture.DAYS - 1).toString())
                    .setEndDate(today.toString()).build());
            ObjectMapper json = new ObjectMapper();
            ObjectNode expected = json.createObjectNode().put("plan", fixture.planId).put("license", fixture.licenseArn)
                    .put("seatsConsumed", 7).put("seatsMax", 5).put("checkouts", 3).put("pool", fixture.poolId)
                    .put("identity", fixture.identityId).put("busiestKey", fixture.keyIds.get(2));
            var days = expected.putArray("days");
            for (LocalDate day = today.minusDays(ConsoleFixture.DAYS - 1); !day.isAfter(today); day = day.plusDays(1)) {
                days.add(day.toString());
            }
            ObjectNode used = expected.putObject("used");
            usage.getItemsMap().forEach((key, daily) -> {
                var series = used.putArray(key);
                daily.getDaysList().forEach(day -> series.add(day.getUsed()));
            });
            Path screenshots = project.resolve("server/target/console-screenshots");
            Files.createDirectories(screenshots);
            Map<String, String> env = Map.of("CONSOLE_URL", server.httpEndpoint(), "TOKEN", server.adminToken(),
                    "IDENTITY_TOKEN", fixture.identityToken, "EXPECTED", json.writeValueAsString(expected),
                    "SCREENSHOTS", screenshots.toString(), "CHROMIUM", CHROMIUM.toString());
            String output = run(project, dir.resolve("browser.log"), env, "node", "server/src/test/browser/console.test.mjs");
            assertThat(output).contains("every step passed");
            assertThat(screenshots.resolve("plan.png")).exists();
        }
    }

    private static String run(Path project, Path log, String... command) throws Exception {
        return run(project, log, Map.of(), command);
    }

    private static String run(Path project, Path log, Map<String, String> env, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        boolean finished = process.waitFor(5, TimeUnit.MINUTES);
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(output);
        if (!finished) {
            process.destroyForcibly();
        }
        assertThat(finished).as(String.join(" ", command) + " finished in 5 minutes").isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + " exit code; its output:\n" + output).isZero();
        return output;
    }
}
