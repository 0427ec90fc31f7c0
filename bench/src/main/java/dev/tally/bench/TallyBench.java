package dev.tally.bench;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import dev.tally.proto.v1.AccessServiceGrpc;
import dev.tally.proto.v1.CheckInLicenseRequest;
import dev.tally.proto.v1.CheckoutType;
import dev.tally.proto.v1.ConsumeQuotaRequest;
import dev.tally.proto.v1.CreateAccessKeyRequest;
import dev.tally.proto.v1.CreateAccessKeyResponse;
import dev.tally.proto.v1.DescribeIdentityPoolUsageRequest;
import dev.tally.proto.v1.DescribeIdentityUsageRequest;
import dev.tally.proto.v1.GetLicenseUsageRequest;
import dev.tally.proto.v1.GetUsageRequest;
import dev.tally.proto.v1.LicenseServiceGrpc;
import dev.tally.proto.v1.SyncServiceGrpc;
import dev.tally.proto.v1.UsagePlanServiceGrpc;
import dev.tally.proto.v1.UsageServiceGrpc;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The benchmark: starts a real Tally server process (shipped settings: SQLite, synchronous=FULL), seeds it
 * through the API, and drives each case with 1 and 64 calls in flight, next to a health-check baseline on
 * the same server. Prints calls/s and latency percentiles, and each case's ratio to the baseline.
 *
 * <p>Cases are measured in interleaved rounds (every case once, then every case again), each case's rounds
 * merged: noise from the machine (a neighbour, a checkpoint, a collection) then falls on every case alike
 * instead of on whichever ran at that moment, and the ratios to the baseline hold still from run to run.
 *
 * <p>Options: {@code --server-jar PATH}, {@code --database-url URL} (PostgreSQL), {@code --warmup SECONDS},
 * {@code --seconds SECONDS} (each case's measured time, split across the rounds), {@code --rounds N}
 * (default 3), {@code --client lean|stubs} (default stubs: requests built and replies parsed each call, as an
 * application calls; lean: requests serialized once and replies drained unparsed, as an outside load client
 * measures, for the reads and ConsumeQuota), {@code --heap 256m}, {@code --only SUBSTRING[,SUBSTRING...]}.
 */
public final class TallyBench {

    private static final int[] IN_FLIGHT = {1, 64};
    private static final String GRPC_BASELINE = "Health/Check (baseline)";
    private static final String HTTP_BASELINE = "HTTP GET /ping (baseline)";

    private static boolean isBaseline(String name) {
        return name.equals(GRPC_BASELINE) || name.equals(HTTP_BASELINE);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        Path serverJar = Path.of(options.getOrDefault("server-jar", "server/target/tally-server.jar"));
        Optional<String> databaseUrl = Optional.ofNullable(options.get("database-url"));
        Duration warmup = Duration.ofMillis((long) (Double.parseDouble(options.getOrDefault("warmup", "1.5")) * 1000));
        Duration measure = Duration.ofMillis((long) (Double.parseDouble(options.getOrDefault("seconds", "4")) * 1000));
        String only = options.getOrDefault("only", "");
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        boolean lean = switch (options.getOrDefault("client", "stubs")) {
            case "lean" -> true;
            case "stubs" -> false;
            default -> throw new IllegalArgumentException("--client is lean or stubs");
        };
        Path dataDir = Files.createTempDirectory("tally-bench");

        String heap = options.getOrDefault("heap", "256m");
        Path archive = dataDir.resolve("tally-server.jsa");
        // Profiling options (JFR, agents) crash JDK 17 together with a dynamic archive: then start without one.
        boolean profiling = System.getenv("TALLY_BENCH_SERVER_JAVA_OPTS") != null;
        Duration firstStart = profiling ? Duration.ZERO : ServerProcess.train(serverJar, dataDir, databaseUrl, heap, archive);
        try (ServerProcess server = ServerProcess.start(serverJar, dataDir, databaseUrl, heap,
                profiling ? List.of() : List.of("-XX:SharedArchiveFile=" + archive));
             Clients clients = new Clients(server.port(), 4);
             LeanHttp http = new LeanHttp(server.httpPort(), IN_FLIGHT[IN_FLIGHT.length - 1])) {
            System.out.printf(Locale.ROOT, "Tally benchmark: store %s, server heap %s, %d cores, %s gRPC client, %d interleaved rounds%n",
                    databaseUrl.map(u -> "PostgreSQL").orElse("SQLite (synchronous=FULL)"), heap, Runtime.getRuntime().availableProcessors(),
                    lean ? "lean (raw request bytes, replies not parsed)" : "stub", rounds);
            System.out.printf(Locale.ROOT, "Serving after %d ms on a first start, %d ms with the class-data archive bin/tally-server keeps%n",
                    firstStart.toMillis(), server.startup().toMillis());
            long seeding = System.nanoTime();
            Fixture fixture = Fixture.seed(clients);
            System.out.printf(Locale.ROOT, "Seeded in %.1f s: %d identities, %d API keys, %d days of reported usage, 1 license%n%n",
                    (System.nanoTime() - seeding) / 1e9, Fixture.IDENTITIES, Fixture.SPREAD_KEYS + 1, Fixture.REPORTED_KEYS * 9);

            CreateAccessKeyResponse accessKey = clients.blocking(AccessServiceGrpc::newBlockingStub)
                    .createAccessKey(CreateAccessKeyRequest.newBuilder().setDescription("bench").build());
            HttpRequests requests = new HttpRequests(server.httpPort(), accessKey.getAccessKey().getAccessKeyId(),
                    accessKey.getSecretAccessKey());
            LongSupplier databaseCpu = databaseUrl.isPresent() ? PostgresCpu::nanos : () -> 0;
            LoadDriver driver = new LoadDriver(warmup.dividedBy(rounds), measure.dividedBy(rounds), server::cpuNanos, databaseCpu);
            Map<String, Supplier<ListenableFuture<?>>> cases = cases(clients, fixture, lean);
            cases.putAll(httpCases(requests, http, fixture));
            List<String> wanted = List.of(only.toLowerCase(Locale.ROOT).split(","));
            cases.keySet().removeIf(name -> !isBaseline(name) && wanted.stream().noneMatch(name.toLowerCase(Locale.ROOT)::contains));
            // One pass over every case first, so that the JIT has compiled the server's paths before anything is
            // measured: a long-running server's figures, not a cold one's.
            LoadDriver jitWarmup = new LoadDriver(Duration.ZERO, warmup.multipliedBy(2), server::cpuNanos, databaseCpu);
            for (var entry : cases.entrySet()) {
                jitWarmup.run(entry.getKey(), IN_FLIGHT[IN_FLIGHT.length - 1], entry.getValue());
            }
            // Every case at every concurrency once a round; a case's rounds are merged at the end.
            Map<String, List<LoadDriver.Result>> measured = new LinkedHashMap<>();
            for (int round = 0; round < rounds; round++) {
                for (var entry : cases.entrySet()) {
                    for (int inFlight : IN_FLIGHT) {
                        measured.computeIfAbsent(entry.getKey() + "@" + inFlight, k -> new ArrayList<>())
                                .add(driver.run(entry.getKey(), inFlight, entry.getValue()));
                    }
                }
            }
            // Each door's cases are measured against that door's empty call: gRPC's health check, HTTP's /ping.
            Report report = new Report();
            for (String name : cases.keySet()) {
                String baseline = isBaseline(name) ? name : name.startsWith("HTTP ") ? HTTP_BASELINE : GRPC_BASELINE;
                for (int inFlight : IN_FLIGHT) {
                    report.add(LoadDriver.Result.merge(measured.get(name + "@" + inFlight)),
                            LoadDriver.Result.merge(measured.get(baseline + "@" + inFlight)));
                }
            }
            report.print(System.out, server.rssMib(), databaseUrl.isPresent());
        }
        TelemetryCost.print(System.out);
    }

    /** A case's calls: each sends one of {@code requests}, through the lean client or as a stub does. */
    private interface Calls {
        <Q extends com.google.protobuf.MessageLite> Supplier<ListenableFuture<?>> of(io.grpc.MethodDescriptor<Q, ?> method, List<Q> requests);
    }

    private static Map<String, Supplier<ListenableFuture<?>>> cases(Clients clients, Fixture fixture, boolean lean) {
        Calls calls = new Calls() {
            @Override
            public <Q extends com.google.protobuf.MessageLite> Supplier<ListenableFuture<?>> of(io.grpc.MethodDescriptor<Q, ?> method,
                                                                                              List<Q> requests) {
                return lean ? clients.lean(method, requests) : clients.typed(method, requests);
            }
        };
        var sync = clients.each(SyncServiceGrpc::newFutureStub);
        var licenses = clients.each(LicenseServiceGrpc::newFutureStub);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        HealthCheckRequest healthCheck = HealthCheckRequest.getDefaultInstance();
        DescribeIdentityPoolUsageRequest poolUsage = DescribeIdentityPoolUsageRequest.newBuilder().setIdentityPoolId(fixture.pool).build();
        GetLicenseUsageRequest licenseUsage = GetLicenseUsageRequest.newBuilder().setLicenseArn(fixture.licenseArn).build();
        GetUsageRequest fullPage = GetUsageRequest.newBuilder().setUsagePlanId(fixture.spreadPlan).setLimit(500)
                .setStartDate(today.minusDays(89).toString()).setEndDate(today.toString()).build();
        GetUsageRequest oneKey = GetUsageRequest.newBuilder().setUsagePlanId(fixture.spreadPlan)
                .setStartDate(today.minusDays(29).toString()).setEndDate(today.toString()).build();
        ConsumeQuotaRequest hot = ConsumeQuotaRequest.newBuilder().setUsagePlanId(fixture.hotPlan).setKeyId(fixture.hotKey).build();
        ConsumeQuotaRequest spread = ConsumeQuotaRequest.newBuilder().setUsagePlanId(fixture.spreadPlan).build();

        Map<String, Supplier<ListenableFuture<?>>> cases = new LinkedHashMap<>();
        cases.put(GRPC_BASELINE, calls.of(HealthGrpc.getCheckMethod(), List.of(healthCheck)));
        cases.put("DescribeIdentityUsage", calls.of(UsageServiceGrpc.getDescribeIdentityUsageMethod(), fixture.identities.stream()
                .map(identity -> DescribeIdentityUsageRequest.newBuilder().setIdentityPoolId(fixture.pool).setIdentityId(identity).build())
                .toList()));
        cases.put("DescribeIdentityPoolUsage", calls.of(UsageServiceGrpc.getDescribeIdentityPoolUsageMethod(), List.of(poolUsage)));
        cases.put("GetLicenseUsage", calls.of(UsageServiceGrpc.getGetLicenseUsageMethod(), List.of(licenseUsage)));
        cases.put("GetUsage 1 key x 30 days", calls.of(UsageServiceGrpc.getGetUsageMethod(), fixture.spreadKeys.subList(0, Fixture.REPORTED_KEYS)
                .stream().map(key -> oneKey.toBuilder().setKeyId(key).build()).toList()));
        // The form AWS users call most: no key, the plan's first page (here the plan has one key).
        cases.put("GetUsage plan of 1 key, no key_id", calls.of(UsageServiceGrpc.getGetUsageMethod(),
                List.of(oneKey.toBuilder().setUsagePlanId(fixture.hotPlan).build())));
        cases.put("GetUsage 500 keys x 90 days", calls.of(UsageServiceGrpc.getGetUsageMethod(), List.of(fullPage)));
        cases.put("ConsumeQuota, one hot key", calls.of(UsagePlanServiceGrpc.getConsumeQuotaMethod(), List.of(hot)));
        cases.put("ConsumeQuota, 10,000 keys", calls.of(UsagePlanServiceGrpc.getConsumeQuotaMethod(), fixture.spreadKeys.stream()
                .map(key -> spread.toBuilder().setKeyId(key).build()).toList()));
        cases.put("UpdateRecords, 10 records", () -> {
            Fixture.SyncSlot slot = fixture.writers.poll();
            if (slot == null) {
                throw new IllegalStateException("more writes in flight than writer slots");
            }
            ListenableFuture<?> call = sync.next().updateRecords(fixture.update(slot.identity, "bench-writes", slot.session, 10, slot.syncCount));
            call.addListener(() -> {
                if (!call.isCancelled() && succeeded(call)) {
                    slot.syncCount++;
                }
                fixture.writers.add(slot);
            }, MoreExecutors.directExecutor());
            return call;
        });
        cases.put("CheckoutLicense + CheckInLicense", () -> Futures.transformAsync(
                licenses.next().checkoutLicense(fixture.checkout(CheckoutType.CHECKOUT_TYPE_PROVISIONAL)),
                out -> licenses.next().checkInLicense(CheckInLicenseRequest.newBuilder()
                        .setLicenseConsumptionToken(out.getLicenseConsumptionToken()).build()),
                MoreExecutors.directExecutor()));
        return cases;
    }

    /**
     * The AWS door, through a lean HTTP client: the same reads as the gRPC cases, and SigV4 on its own (a
     * signed request for a path that is no operation: verification, then a 404; less the /ping baseline's
     * server µs, what a signature costs).
     */
    private static Map<String, Supplier<ListenableFuture<?>>> httpCases(HttpRequests requests, LeanHttp http, Fixture fixture) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String thirtyDays = "startDate=" + today.minusDays(29) + "&endDate=" + today;
        List<byte[]> oneKey = fixture.spreadKeys.subList(0, Fixture.REPORTED_KEYS).stream()
                .map(key -> requests.signedGet("/usageplans/" + fixture.spreadPlan + "/usage?keyId=" + key + "&" + thirtyDays)).toList();
        byte[] page = requests.signedGet("/usageplans/" + fixture.spreadPlan + "/usage?limit=500&startDate=" + today.minusDays(89)
                + "&endDate=" + today);
        byte[] plans = requests.signedGet("/usageplans");
        byte[] unknown = requests.signedGet("/sigv4-only");
        byte[] ping = requests.unsigned("/ping");
        Map<String, Supplier<ListenableFuture<?>>> cases = new LinkedHashMap<>();
        cases.put(HTTP_BASELINE, () -> http.send(ping, 200));
        cases.put("HTTP GetUsage 1 key x 30 days", () -> http.send(oneKey.get(ThreadLocalRandom.current().nextInt(oneKey.size())), 200));
        cases.put("HTTP GetUsage 500 keys x 90 days", () -> http.send(page, 200));
        cases.put("HTTP GetUsagePlans", () -> http.send(plans, 200));
        List<byte[]> identityUsage = fixture.identities.subList(0, Math.min(100, fixture.identities.size())).stream()
                .map(identity -> requests.signedGet("cognito-sync", "/identitypools/" + fixture.pool + "/identities/" + identity)).toList();
        cases.put("HTTP DescribeIdentityUsage", () -> http.send(identityUsage.get(ThreadLocalRandom.current().nextInt(identityUsage.size())), 200));
        byte[] licenseUsage = requests.signedJson("license-manager", "AWSLicenseManager.GetLicenseUsage",
                "{\"LicenseArn\":\"" + fixture.licenseArn + "\"}");
        cases.put("HTTP GetLicenseUsage", () -> http.send(licenseUsage, 200));
        byte[] consolePlan = requests.bearerGet("/console/api/plans/" + fixture.spreadPlan + "/usage", requests.consoleCredential());
        cases.put("HTTP console plan page (10,000 keys)", () -> http.send(consolePlan, 200));
        cases.put("HTTP SigV4 alone (signed 404)", () -> http.send(unknown, 404));
        return cases;
    }

    private static boolean succeeded(ListenableFuture<?> call) {
        try {
            call.get();
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static final String USAGE = """
            usage: tally-bench [--server-jar PATH] [--database-url URL] [--warmup S] [--seconds S] [--rounds N]
                               [--client lean|stubs] [--heap 256m] [--only TEXT[,TEXT...]]
              --server-jar    the server to start and measure (server/target/tally-server.jar)
              --database-url  a PostgreSQL JDBC URL to run on (default: SQLite in a temporary folder)
              --warmup        seconds of unmeasured calls per case, spread over the rounds; a JIT pass over
                              every case, twice as long, runs first (1.5)
              --seconds       seconds each case is measured, spread over the rounds (4)
              --rounds        rounds, each running every case once (3)
              --client        lean: raw request bytes, replies not parsed; stubs: generated stubs (stubs)
              --heap          the server's -Xmx (256m)
              --only          run only the cases whose names contain one of these texts, and the baselines
            """;

    /** The options; asked for help, prints the usage and exits 0, and on a bad option prints it to stderr and exits 2. */
    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help") || args[i].equals("-h")) {
                System.out.print(USAGE);
                System.exit(0);
            }
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                System.err.print("tally-bench: " + (args[i].startsWith("--") ? args[i] + " needs a value" : "unexpected " + args[i])
                        + "\n" + USAGE);
                System.exit(2);
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }
}
