package dev.tally.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Base of every leaf subcommand: opens a {@link Session} with the global options and prints through {@link Output}. */
abstract class TallyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        TallyCli options = (TallyCli) spec.root().userObject();
        try (Session session = new Session(options)) {
            return run(session, new Output(spec.commandLine().getOut(), options.output));
        }
    }

    /** A usage error (exit 2) when a positional id that also has an old option form was given neither way. */
    static void require(String value, String label, String example) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing " + label + ", as in: " + example);
        }
    }

    /** Does the command's work; returns the exit code. Failed calls throw and become exit code 1. */
    abstract int run(Session session, Output output) throws Exception;
}
