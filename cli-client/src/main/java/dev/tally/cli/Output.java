package dev.tally.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Prints a response as an aligned table or as proto3 JSON, to the command's own writer. */
final class Output {

    private final PrintWriter out;
    private final TallyCli.OutputFormat format;

    Output(PrintWriter out, TallyCli.OutputFormat format) {
        this.out = out;
        this.format = format;
    }

    /** Prints {@code response} as JSON, or else the table of {@code headers} and {@code rows}. */
    void print(MessageOrBuilder response, List<String> headers, List<List<String>> rows) {
        if (format == TallyCli.OutputFormat.json) {
            try {
                out.println(JsonFormat.printer().print(response));
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException(e);
            }
        } else {
            table(headers, rows);
        }
        out.flush();
    }

    /** Columns aligned by display width (CJK and emoji take two); long values cut with an ellipsis. */
    private void table(List<String> headers, List<List<String>> rows) {
        List<List<String>> all = new ArrayList<>();
        all.add(headers);
        rows.forEach(row -> all.add(row.stream().map(value -> DisplayWidth.cell(value, DisplayWidth.MAX_CELL)).toList()));
        int[] widths = new int[headers.size()];
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], DisplayWidth.of(row.get(i)));
            }
        }
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i == row.size() - 1 ? row.get(i) : DisplayWidth.pad(row.get(i), widths[i]) + "  ");
            }
            out.println(line.toString().stripTrailing());
        }
    }

    static String time(Timestamp timestamp) {
        return timestamp.getSeconds() == 0 && timestamp.getNanos() == 0 ? "-"
                : Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos()).toString();
    }
}
