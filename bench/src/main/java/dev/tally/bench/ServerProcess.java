package dev.tally.bench;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The Tally server as its own process, with the settings it ships with, on a free loopback port. */
final class ServerProcess implements AutoCloseable {

    static final String ADMIN_TOKEN = "bench-admin-token-0123456789abcdefghijklmnopqrstuvwxyz";

    private final Process process;
    private final int port;
    private final int httpPort;
    private final Duration startup;

    private ServerProcess(Process process, int port, int httpPort, Duration startup) {
        this.process = process;
        this.port = port;
        this.httpPort = httpPort;
        this.startup = startup;
    }

    /**
     * Starts the server once to write a class-data archive (as bin/tally-server does on a first clean stop) and
     * returns how long that first start took; later starts given the archive map it instead of loading classes.
     */
    static Duration train(Path serverJar, Path dataDir, Optional<String> databaseUrl, String heap, Path archive) throws Exception {
        try (ServerProcess first = start(serverJar, dataDir, databaseUrl, heap, List.of("-XX:ArchiveClassesAtExit=" + archive))) {
            return first.startup();
        }
    }

    static ServerProcess start(Path serverJar, Path dataDir, Optional<String> databaseUrl, String heap, List<String> jvmOptions)
            throws Exception {
        int port = freePort();
        int httpPort = freePort();
        List<String> command = new ArrayList<>(List.of("java", "-Xmx" + heap, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
        command.addAll(jvmOptions);
        String extra = System.getenv("TALLY_BENCH_SERVER_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(List.of("-jar", serverJar.toString(),
                "--host", "127.0.0.1", "--port", Integer.toString(port), "--http-port", Integer.toString(httpPort),
                "--data-dir", dataDir.toString(),
                "--drain-delay", "PT0S",
                // The bench is one caller measuring the server's capacity, not the per-caller limit.
                "--rate-limit", "1000000000", "--rate-burst", "1000000000"));
        databaseUrl.ifPresent(url -> command.addAll(List.of("--database-url", url)));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("server.log").toFile());
        Map<String, String> env = builder.environment();
        env.put("TALLY_BOOTSTRAP_TOKEN", ADMIN_TOKEN);
        env.put("TALLY_LOG_LEVEL", "WARN");
        long started = System.nanoTime();
        Process process = builder.start();
        // Wait for the port with plain connects: a gRPC channel that fails early backs off for a second or
        // more, which would be measured as start-up time.
        while (!accepting(port)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited; see " + dataDir.resolve("server.log") + ":\n"
                        + Files.readString(dataDir.resolve("server.log")));
            }
            if (System.nanoTime() - started > TimeUnit.SECONDS.toNanos(60)) {
                throw new IllegalStateException("the server did not start within 60 s");
            }
            Thread.sleep(5);
        }
        ManagedChannel probe = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            if (HealthGrpc.newBlockingStub(probe).withWaitForReady().withDeadlineAfter(30, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance()).getStatus() != ServingStatus.SERVING) {
                throw new IllegalStateException("the server is up but not SERVING");
            }
        } finally {
            probe.shutdownNow();
        }
        return new ServerProcess(process, port, httpPort, Duration.ofNanos(System.nanoTime() - started));
    }

    private static boolean accepting(int port) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 100);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    int port() {
        return port;
    }

    /** The HTTP listener's port (the AWS endpoint). */
    int httpPort() {
        return httpPort;
    }

    Duration startup() {
        return startup;
    }

    /** CPU time (user + system) the server process has used so far. */
    long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    /** Resident memory of the server process in MiB, from /proc. */
    long rssMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
