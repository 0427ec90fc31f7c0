package dev.tally.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints a response as an aligned table, as proto3 JSON (every field, zeros included) or as CSV, to the
 * command's own writer. A command may have a view of its own (a chart) that it shows when no {@code -o}
 * was chosen: {@link #ownView()}.
 */
final class Output {

    private static final JsonFormat.Printer JSON = JsonFormat.printer().includingDefaultValueFields();

    private final PrintWriter out;
    /** The format chosen with -o; null when none was. */
    private final TallyCli.OutputFormat chosen;

    Output(PrintWriter out, TallyCli.OutputFormat chosen) {
        this.out = out;
        this.chosen = chosen;
    }

    /** Whether no format was chosen, so a command may show its own view (tables otherwise). */
    boolean ownView() {
        return chosen == null;
    }

    /** Prints {@code response} as JSON, or else the table or CSV of {@code headers} and {@code rows}. */
    void print(MessageOrBuilder response, List<String> headers, List<List<String>> rows) {
        switch (chosen == null ? TallyCli.OutputFormat.table : chosen) {
            case json -> {
                try {
                    out.println(JSON.print(response));
                } catch (InvalidProtocolBufferException e) {
                    throw new IllegalStateException(e);
                }
            }
            case csv -> csv(headers, rows);
            case table -> table(headers, rows);
        }
        out.flush();
    }

    /** Prints lines as they are: a command's own view. */
    void lines(List<String> lines) {
        lines.forEach(out::println);
        out.flush();
    }

    /** A byte count for a table in human units (1.5 KiB); exact everywhere else, so that scripts can sum it. */
    String bytes(long bytes) {
        return chosen == TallyCli.OutputFormat.csv ? Long.toString(bytes) : humanBytes(bytes);
    }

    static String humanBytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, value < 10 ? "%.1f %s" : "%.0f %s", value, units[unit]);
    }

    private void table(List<String> headers, List<List<String>> rows) {
        tableLines(headers, rows).forEach(out::println);
    }

    /** Columns aligned by display width (CJK and emoji take two); long values cut with an ellipsis. */
    static List<String> tableLines(List<String> headers, List<List<String>> rows) {
        List<List<String>> all = new ArrayList<>();
        all.add(headers);
        rows.forEach(row -> all.add(row.stream().map(value -> DisplayWidth.cell(value, DisplayWidth.MAX_CELL)).toList()));
        int[] widths = new int[headers.size()];
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], DisplayWidth.of(row.get(i)));
            }
        }
        List<String> lines = new ArrayList<>(all.size());
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i == row.size() - 1 ? row.get(i) : DisplayWidth.pad(row.get(i), widths[i]) + "  ");
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }

    /** RFC 4180: lower-case headers, values whole, quoted when they hold a comma, a quote or a line break. */
    private void csv(List<String> headers, List<List<String>> rows) {
        out.print(csvLine(headers.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList()));
        rows.forEach(row -> out.print(csvLine(row)));
    }

    private static String csvLine(List<String> values) {
        StringBuilder line = new StringBuilder();
        for (String value : values) {
            if (!line.isEmpty()) {
                line.append(',');
            }
            boolean quote = value.chars().anyMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r');
            line.append(quote ? '"' + value.replace("\"", "\"\"") + '"' : value);
        }
        return line.append("\r\n").toString();
    }

    static String time(Timestamp timestamp) {
        return timestamp.getSeconds() == 0 && timestamp.getNanos() == 0 ? "-"
                : Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos()).toString();
    }
}
