package dev.tally.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged server ({@code target/tally-server.jar}) as an operator runs it: its own JVM, its own log,
 * a real exit code. For what only a process shows: start-up failures, the log at every level, file modes
 * under a umask.
 */
public final class ServerProcess implements AutoCloseable {

    private static final Pattern GRPC_PORT = Pattern.compile("Serving gRPC on [^\\s:]+:([0-9]+)");
    private static final Pattern HTTP_PORT = Pattern.compile("Serving the AWS endpoint on https?://[^\\s:/]+:([0-9]+)");

    /** A process that ran to its end. */
    public record Exit(int code, String stdout, String stderr) {
    }

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private int grpcPort;
    private int httpPort;

    private ServerProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts a server on 127.0.0.1 and free ports over {@code dataDir}; returns once it serves. */
    public static ServerProcess start(Path dataDir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0", "--http-port", "0", "--data-dir", dataDir.toString()));
        all.addAll(List.of(args));
        ServerProcess server = launch(dataDir.resolveSibling(dataDir.getFileName() + "-logs"), env, "", all);
        server.awaitStarted();
        return server;
    }

    /** Runs the server with exactly {@code args} (under {@code umask} when not empty) until it exits. */
    public static Exit run(Path logDir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        ServerProcess server = launch(logDir, env, "", List.of(args));
        if (!server.process.waitFor(90, TimeUnit.SECONDS)) {
            server.process.destroyForcibly();
            throw new AssertionError("tally-server did not exit; its log:\n" + server.log());
        }
        return new Exit(server.process.exitValue(), server.log(), server.errors());
    }

    /** Starts like {@link #start} with the process's umask set first, as a shell would. */
    public static ServerProcess startUnderUmask(String umask, Path dataDir, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0", "--http-port", "0", "--data-dir", dataDir.toString()));
        all.addAll(List.of(args));
        ServerProcess server = launch(dataDir.resolveSibling(dataDir.getFileName() + "-logs"), env, umask, all);
        server.awaitStarted();
        return server;
    }

    private static ServerProcess launch(Path logDir, Map<String, String> env, String umask, List<String> args) throws IOException {
        Path jar = Path.of("target", "tally-server.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: these tests run after the package phase (./mvnw verify)");
        }
        Files.createDirectories(logDir);
        List<String> command = new ArrayList<>();
        if (!umask.isEmpty()) {
            command.addAll(List.of("sh", "-c", "umask " + umask + " && exec \"$@\"", "sh"));
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", jar.toString()));
        command.addAll(args);
        Path out = Files.createTempFile(logDir, "stdout", ".log");
        Path err = Files.createTempFile(logDir, "stderr", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("TALLY_"));
        builder.environment().putAll(env);
        return new ServerProcess(builder.start(), out, err);
    }

    private void awaitStarted() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            String log = log();
            Matcher grpc = GRPC_PORT.matcher(log);
            if (log.contains("Started in") && grpc.find()) {
                grpcPort = Integer.parseInt(grpc.group(1));
                Matcher http = HTTP_PORT.matcher(log);
                httpPort = http.find() ? Integer.parseInt(http.group(1)) : -1;
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("tally-server exited with " + process.exitValue() + ":\n" + log + errors());
            }
            Thread.sleep(50);
        }
        process.destroyForcibly();
        throw new AssertionError("tally-server did not start within 60 s:\n" + log());
    }

    public int grpcPort() {
        return grpcPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public String target() {
        return "127.0.0.1:" + grpcPort;
    }

    /** Everything the server has written to standard output (its log) so far. */
    public String log() {
        return read(stdout);
    }

    /** Everything it has written to standard error so far. */
    public String errors() {
        return read(stderr);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops it as a supervisor would (SIGTERM) and returns its exit code. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }
}
