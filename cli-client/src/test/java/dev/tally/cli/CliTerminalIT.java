package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.proto.v1.CreateApiKeyRequest;
import dev.tally.proto.v1.CreateUsagePlanRequest;
import dev.tally.proto.v1.UsagePlanServiceGrpc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A person at a real terminal: tmux runs a shell, the test types {@code bin/tally} commands into it and
 * reads the screen. Progress shows on the terminal and not in a pipe; a destructive command asks and waits.
 */
class CliTerminalIT extends CliTestBase {

    private static final Path TALLY = Path.of("..", "bin", "tally").toAbsolutePath().normalize();
    private final String session = "tally-it-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void closeTerminal() throws Exception {
        run("tmux", "kill-session", "-t", session);
    }

    @Test
    void progressShowsOnATerminal_notInAPipe_andDeletingAsksFirst() throws Exception {
        var stub = server.asAdmin(UsagePlanServiceGrpc.newBlockingStub(server.channel()));
        for (int i = 0; i < 30; i++) {
            stub.createApiKey(CreateApiKeyRequest.newBuilder().setName("k" + i).setEnabled(true).build());
        }
        String plan = stub.createUsagePlan(CreateUsagePlanRequest.newBuilder().setName("doomed").build()).getUsagePlan().getId();
        Path piped = dataDir.resolve("piped.txt");
        String tally = TALLY + " --target " + server.target() + " --token-file " + dataDir.resolve("admin.token");
        run("tmux", "new-session", "-d", "-s", session, "-x", "160", "-y", "40", "sh");

        type(tally + " keys list --all --page-size 4 > /dev/null");
        String screen = waitForScreen(s -> s.contains("fetched 8 pages, 30 items"));
        type(tally + " keys list --all --page-size 4 2>&1 | cat > " + piped + "; echo piped-done");
        waitForScreen(s -> s.contains("piped-done\n"));
        type(tally + " plans delete " + plan);
        String asked = waitForScreen(s -> s.contains("[y/N]"));
        type("y");
        String answered = waitForScreen(s -> s.contains("DELETED"));

        assertThat(screen).contains("fetched 8 pages, 30 items");
        String pipedOutput = Files.readString(piped);
        assertThat(pipedOutput).contains("KEY_ID").doesNotContain("fetched").doesNotContain("\u001b");
        assertThat(pipedOutput.lines()).hasSize(31);
        assertThat(asked).contains("Delete usage plan " + plan + " with its key associations and usage? [y/N]");
        assertThat(answered).contains(plan);
    }

    private void type(String line) throws Exception {
        run("tmux", "send-keys", "-t", session, "-l", line);
        run("tmux", "send-keys", "-t", session, "Enter");
    }

    /** The screen once {@code ready} holds (the first call may also write the CLI's class-data archive). */
    private String waitForScreen(Predicate<String> ready) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String screen = "";
        while (System.nanoTime() < deadline) {
            screen = run("tmux", "capture-pane", "-p", "-t", session);
            if (ready.test(screen)) {
                return screen;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the terminal never showed what was expected; it shows:\n" + screen);
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return output;
    }
}
