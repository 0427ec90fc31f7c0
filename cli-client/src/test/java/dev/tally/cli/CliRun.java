package dev.tally.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** One {@code tally} invocation through picocli's {@code execute}, with its exit code and captured output. */
record CliRun(int exitCode, String out, String err) {

    /** Runs {@code tally} against {@code server} with the bootstrap admin's token file. */
    static CliRun asAdmin(dev.tally.server.testing.TestServer server, String... args) {
        List<String> all = new ArrayList<>(List.of("--token-file", server.dataDir().resolve("admin.token").toString()));
        all.addAll(List.of(args));
        return run(server.target(), all.toArray(String[]::new));
    }

    static CliRun run(String target, String... args) {
        List<String> all = new ArrayList<>(List.of("--target", target));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // As main does: only the command group the arguments name.
        CommandLine commandLine = TallyCli.commandLine(all.toArray(String[]::new));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(all.toArray(String[]::new));
        return new CliRun(exitCode, out.toString(), err.toString());
    }
}
