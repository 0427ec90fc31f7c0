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

    /** Does the command's work; returns the exit code. Failed calls throw and become exit code 1. */
    abstract int run(Session session, Output output) throws Exception;
}
