package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.proto.v1.AccessServiceGrpc;
import dev.tally.proto.v1.CreateAccessKeyRequest;
import dev.tally.proto.v1.CreateAccessKeyResponse;
import dev.tally.server.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the outside-client suite ({@code adapters/aws/src/test/python}) against a real server: boto3, raw
 * botocore-signed HTTP, Debian's AWS CLI on the README's examples, and a plain gRPC channel. Debian's
 * python3-boto3, python3-pytest, python3-grpcio and awscli must be installed ({@code .ci/run} does it).
 */
class AwsOutsideClientsIT {

    @TempDir
    Path dir;

    @Test
    void boto3AndTheAwsCliPassTheOutsideClientSuite() throws Exception {
        // A second server whose callers may make 3 requests and then 1 every 1000 s: for the 429s.
        try (TestServer server = TestServer.start(dir.resolve("main"));
             TestServer limited = TestServer.builder(dir.resolve("limited")).rateLimit(0.001, 3).start()) {
            CreateAccessKeyResponse key = server.asAdmin(AccessServiceGrpc.newBlockingStub(server.channel()))
                    .createAccessKey(CreateAccessKeyRequest.newBuilder().setDescription("outside clients").build());
            CreateAccessKeyResponse limitedKey = limited.asAdmin(AccessServiceGrpc.newBlockingStub(limited.channel()))
                    .createAccessKey(CreateAccessKeyRequest.newBuilder().setDescription("rate limited").build());
            Path project = Path.of("").toAbsolutePath().getParent();
            Path log = dir.resolve("pytest.log");
            ProcessBuilder pytest = new ProcessBuilder("/usr/bin/python3", "-m", "pytest", "-q", "-p", "no:cacheprovider",
                    project.resolve("adapters/aws/src/test/python").toString())
                    .directory(project.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Map<String, String> env = pytest.environment();
            env.put("TALLY_AWS_ENDPOINT", server.httpEndpoint());
            env.put("TALLY_GRPC_TARGET", server.target());
            env.put("TALLY_ADMIN_TOKEN", server.adminToken());
            env.put("TALLY_ACCESS_KEY_ID", key.getAccessKey().getAccessKeyId());
            env.put("TALLY_SECRET_ACCESS_KEY", key.getSecretAccessKey());
            env.put("TALLY_PROJECT_DIR", project.toString());
            env.put("TALLY_LIMITED_AWS_ENDPOINT", limited.httpEndpoint());
            env.put("TALLY_LIMITED_ACCESS_KEY_ID", limitedKey.getAccessKey().getAccessKeyId());
            env.put("TALLY_LIMITED_SECRET_ACCESS_KEY", limitedKey.getSecretAccessKey());
            // The suite's own clients, not anything a developer's shell points AWS tools at.
            List.of("AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_ENDPOINT_URL").forEach(env::remove);
            Process process = pytest.start();
            boolean finished = process.waitFor(10, TimeUnit.MINUTES);
            String output = read(log);
            System.out.println(output);
            assertThat(finished).as("pytest finished within 10 minutes").isTrue();
            assertThat(process.exitValue()).as("pytest's exit code; its output:%n%s", output).isZero();
            assertThat(output).contains(" passed").doesNotContain(" skipped").doesNotContain(" failed");
        }
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }
}
