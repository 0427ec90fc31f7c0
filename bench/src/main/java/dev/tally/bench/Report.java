package dev.tally.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The results table, each case next to the baseline at the same concurrency. */
final class Report {

    private record Row(LoadDriver.Result result, LoadDriver.Result baseline) {
    }

    private final List<Row> rows = new ArrayList<>();

    void add(LoadDriver.Result result, LoadDriver.Result baseline) {
        rows.add(new Row(result, baseline));
    }

    /** withDatabase: a column for the database's CPU per call (PostgreSQL; SQLite's is in the server's). */
    void print(PrintStream out, long rssMib, boolean withDatabase) {
        String format = "| %-34s | %9s | %9s | %8s | %8s | %8s | %6s | %8s | %8s | %8s |" + (withDatabase ? " %8s |" : "%s") + "%n";
        out.printf(Locale.ROOT, format, "case", "in flight", "calls/s", "p50 ms", "p99 ms", "p99.9 ms", "errors", "% base", "p99 x base",
                "server µs", withDatabase ? "db µs" : "");
        out.printf(Locale.ROOT, format, "-".repeat(34), "-".repeat(9), "-".repeat(9), "-".repeat(8), "-".repeat(8), "-".repeat(8),
                "-".repeat(6), "-".repeat(8), "-".repeat(8), "-".repeat(8), withDatabase ? "-".repeat(8) : "");
        for (Row row : rows) {
            LoadDriver.Result r = row.result();
            double p99 = r.latencyMicros().getValueAtPercentile(99) / 1000.0;
            double baseP99 = row.baseline().latencyMicros().getValueAtPercentile(99) / 1000.0;
            out.printf(Locale.ROOT, format, r.name(), r.inFlight(), String.format(Locale.ROOT, "%.0f", r.callsPerSecond()),
                    ms(r.latencyMicros().getValueAtPercentile(50)), ms(r.latencyMicros().getValueAtPercentile(99)),
                    ms(r.latencyMicros().getValueAtPercentile(99.9)), r.errors(),
                    String.format(Locale.ROOT, "%.0f%%", 100 * r.callsPerSecond() / row.baseline().callsPerSecond()),
                    String.format(Locale.ROOT, "%.2f", p99 / baseP99), String.format(Locale.ROOT, "%.0f", r.serverCpuMicros()),
                    withDatabase ? String.format(Locale.ROOT, "%.0f", r.databaseCpuMicros()) : "");
        }
        out.printf(Locale.ROOT, "%nserver µs: the server process's CPU time (user + system) per call while measuring.%n");
        if (withDatabase) {
            out.printf(Locale.ROOT, "db µs: the PostgreSQL processes' CPU time per call, on the same two cores.%n");
        }
        for (Row row : rows) {
            if (row.result().errors() > 0) {
                out.printf(Locale.ROOT, "First error of %s at %d in flight: %s%n", row.result().name(), row.result().inFlight(),
                        row.result().firstError());
            }
        }
        out.printf(Locale.ROOT, "Server RSS after the suite: %d MiB%n", rssMib);
    }

    private static String ms(long micros) {
        return String.format(Locale.ROOT, "%.2f", micros / 1000.0);
    }
}
