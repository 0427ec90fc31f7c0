package dev.tally.cli;

import java.io.Console;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * For commands that destroy something: on a terminal they ask first; elsewhere (a script, a pipe) they
 * need {@code --yes}, so that nothing is destroyed by a command nobody read.
 */
final class Confirmation {

    @Option(names = {"-y", "--yes"}, description = "Do it without asking (needed when not on a terminal).")
    boolean yes;

    /** Returns once the user agreed to {@code what}; otherwise throws, which exits 2 having changed nothing. */
    void confirm(String what) {
        if (yes) {
            return;
        }
        Console console = System.console();
        if (console == null) {
            throw new IllegalArgumentException("not on a terminal, so nothing was asked: add --yes to " + what);
        }
        String answer = console.readLine("%s? [y/N] ", Character.toUpperCase(what.charAt(0)) + what.substring(1));
        if (answer == null || !answer.trim().toLowerCase(Locale.ROOT).startsWith("y")) {
            throw new IllegalArgumentException("not confirmed: nothing was changed");
        }
    }
}
