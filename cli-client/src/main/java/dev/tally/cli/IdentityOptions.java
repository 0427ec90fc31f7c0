package dev.tally.cli;

import picocli.CommandLine.Option;

/** The pool and identity a sync command works on. */
final class IdentityOptions {

    @Option(names = "--pool", required = true, description = "The identity pool id.")
    String pool;

    @Option(names = "--identity", required = true, description = "The identity id.")
    String identity;
}
