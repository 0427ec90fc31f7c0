package dev.tally.cli;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.rpc.RetryInfo;
import dev.tally.proto.v1.ApiKey;
import dev.tally.proto.v1.CreateApiKeyRequest;
import dev.tally.proto.v1.CreateUsagePlanKeyRequest;
import dev.tally.proto.v1.UsagePlanServiceGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tally keys import FILE}: makes API keys from a CSV file (name, optional value, optional plan) in one
 * process, several at a time, and attaches each to its plan. A row that fails is reported and the rest go
 * on; the exit code is 1 when any row failed.
 */
@Command(name = "import", description = {"Creates API keys from a CSV file and attaches them to plans, several at a time.",
        "Each line: NAME[,VALUE[,PLAN_ID]]; an empty VALUE is generated (and printed: it is shown only once)."
                + " A header line name,value,plan, blank lines and lines starting with # are skipped."
                + " Values with commas or quotes are quoted as in RFC 4180. Rows that fail are reported and the rest go on;"
                + " the exit code is 1 if any row failed."})
final class KeysImport extends TallyCommand {

    @Parameters(paramLabel = "FILE", description = "The CSV file; - for standard input.")
    String file;

    @Option(names = "--parallel", defaultValue = "8", description = "Rows worked on at once, 1..64 (default ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--disabled", description = "Create the keys disabled.")
    boolean disabled;

    /** A line of the file, parsed, and what became of it. */
    private record Row(int line, String name, String value, String plan, String error) {
    }

    private record Outcome(Row row, String keyId, String value, String result, boolean failed) {
    }

    private static final int ATTEMPTS = 5;

    @Override
    int run(Session session, Output output) throws Exception {
        if (parallel < 1 || parallel > 64) {
            throw new IllegalArgumentException("invalid --parallel '" + parallel + "': expected 1 to 64, such as 8");
        }
        List<Row> rows = rows(read(file));
        var stub = session.stub(UsagePlanServiceGrpc::newBlockingStub);
        List<Outcome> outcomes = new ArrayList<>();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(parallel, runnable -> {
            Thread thread = new Thread(runnable, "tally-import");
            thread.setDaemon(true);
            return thread;
        });
        try (Progress progress = Progress.on(spec.commandLine().getErr())) {
            List<Future<Outcome>> pending = new ArrayList<>();
            for (Row row : rows) {
                pending.add(workers.submit(() -> {
                    Outcome outcome = importRow(stub, row);
                    if (outcome.failed()) {
                        failed.incrementAndGet();
                    }
                    progress.update(String.format(Locale.ROOT, "imported %,d of %,d rows, %,d failed", done.incrementAndGet(), rows.size(),
                            failed.get()));
                    return outcome;
                }));
            }
            for (Future<Outcome> outcome : pending) {
                outcomes.add(outcome.get());
            }
        } finally {
            workers.shutdownNow();
        }
        print(output, outcomes);
        outcomes.stream().filter(Outcome::failed).forEach(o -> spec.commandLine().getErr().println("line " + o.row().line() + ": " + o.result()));
        spec.commandLine().getErr().printf(Locale.ROOT, "%,d of %,d rows imported, %,d failed%n", rows.size() - failed.get(), rows.size(),
                failed.get());
        return failed.get() == 0 ? 0 : 1;
    }

    private Outcome importRow(UsagePlanServiceGrpc.UsagePlanServiceBlockingStub stub, Row row) {
        if (row.error() != null) {
            return new Outcome(row, "", "", row.error(), true);
        }
        ApiKey key;
        try {
            key = retried(() -> stub.createApiKey(CreateApiKeyRequest.newBuilder().setName(row.name()).setValue(row.value())
                    .setEnabled(!disabled).build()).getApiKey());
        } catch (StatusRuntimeException e) {
            return new Outcome(row, "", "", "not created: " + Errors.describe(e), true);
        }
        if (row.plan().isEmpty()) {
            return new Outcome(row, key.getId(), key.getValue(), "created", false);
        }
        try {
            retried(() -> stub.createUsagePlanKey(CreateUsagePlanKeyRequest.newBuilder().setUsagePlanId(row.plan()).setKeyId(key.getId())
                    .build()));
            return new Outcome(row, key.getId(), key.getValue(), "created, attached", false);
        } catch (StatusRuntimeException e) {
            return new Outcome(row, key.getId(), key.getValue(), "created as " + key.getId() + " but not attached (tally plans add-key --plan "
                    + row.plan() + " --key " + key.getId() + " does that): " + Errors.describe(e), true);
        }
    }

    /**
     * Runs {@code call}, again after the server's retry delay when it answers RESOURCE_EXHAUSTED (the caller's
     * rate limit refused it before it did anything). Nothing else is retried: a create that may have happened
     * must not happen twice.
     */
    private static <T> T retried(java.util.function.Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.RESOURCE_EXHAUSTED || attempt == ATTEMPTS) {
                    throw e;
                }
                sleep(retryDelayMillis(e));
            }
        }
    }

    /** The server's RetryInfo delay, kept between 50 ms and 10 s; a second when it gave none. */
    private static long retryDelayMillis(StatusRuntimeException e) {
        return Errors.detail(e, RetryInfo.class).map(RetryInfo::getRetryDelay)
                .map(delay -> Math.max(50, Math.min(10_000, delay.getSeconds() * 1000 + delay.getNanos() / 1_000_000)))
                .orElse(1000L);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    private static List<String> read(String file) throws IOException {
        if (file.equals("-")) {
            return new String(System.in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        try {
            return Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("the file " + file + " does not exist");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IllegalArgumentException("the file " + file + " is not UTF-8 text");
        }
    }

    /** The file's rows, numbered by line; a line that does not parse becomes a row with an error. */
    static List<Row> rows(List<String> lines) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#") || (rows.isEmpty() && line.toLowerCase(Locale.ROOT).replace(" ", "")
                    .matches("name(,value(,plan)?)?"))) {
                continue;
            }
            try {
                List<String> cells = Csv.split(line);
                if (cells.size() > 3) {
                    throw new IllegalArgumentException("expected NAME[,VALUE[,PLAN_ID]], found " + cells.size() + " values");
                }
                rows.add(new Row(i + 1, cells.get(0).strip(), cells.size() > 1 ? cells.get(1).strip() : "",
                        cells.size() > 2 ? cells.get(2).strip() : "", null));
            } catch (IllegalArgumentException e) {
                rows.add(new Row(i + 1, "", "", "", e.getMessage()));
            }
        }
        return rows;
    }

    private void print(Output output, List<Outcome> outcomes) {
        ListValue.Builder json = ListValue.newBuilder();
        List<List<String>> table = new ArrayList<>();
        for (Outcome o : outcomes) {
            json.addValues(Value.newBuilder().setStructValue(Struct.newBuilder()
                    .putFields("line", Value.newBuilder().setNumberValue(o.row().line()).build())
                    .putFields("name", Value.newBuilder().setStringValue(o.row().name()).build())
                    .putFields("keyId", Value.newBuilder().setStringValue(o.keyId()).build())
                    .putFields("value", Value.newBuilder().setStringValue(o.value()).build())
                    .putFields("usagePlanId", Value.newBuilder().setStringValue(o.row().plan()).build())
                    .putFields("result", Value.newBuilder().setStringValue(o.result()).build())
                    .putFields("failed", Value.newBuilder().setBoolValue(o.failed()).build())));
            table.add(List.of(Integer.toString(o.row().line()), o.row().name(), o.keyId().isEmpty() ? "-" : o.keyId(),
                    o.value().isEmpty() ? "-" : o.value(), o.row().plan().isEmpty() ? "-" : o.row().plan(),
                    o.failed() ? "FAILED" : o.result()));
        }
        output.print(json, List.of("LINE", "NAME", "KEY_ID", "VALUE", "PLAN_ID", "RESULT"), table);
    }

    /** One line of RFC 4180 CSV: quoted values may hold commas and doubled quotes (not line breaks). */
    static final class Csv {

        private Csv() {
        }

        static List<String> split(String line) {
            List<String> cells = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        cell.append(c);
                    }
                } else if (c == '"' && cell.toString().isBlank()) {
                    cell.setLength(0);
                    quoted = true;
                } else if (c == ',') {
                    cells.add(cell.toString());
                    cell.setLength(0);
                } else {
                    cell.append(c);
                }
            }
            if (quoted) {
                throw new IllegalArgumentException("a quoted value is not closed");
            }
            cells.add(cell.toString());
            return cells;
        }
    }
}
