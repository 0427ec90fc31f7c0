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

    private void table(List<String> headers, List<List<String>> rows) {
        int[] widths = new int[headers.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(headers);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + widths[i] + "s  ", row.get(i)));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    static String time(Timestamp timestamp) {
        return timestamp.getSeconds() == 0 && timestamp.getNanos() == 0 ? "-"
                : Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos()).toString();
    }
}
