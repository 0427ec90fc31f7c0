package dev.tally.cli;

import picocli.CommandLine.Option;

/** The usage plan and API key a command works on. */
final class PlanKeyOptions {

    @Option(names = "--plan", required = true, description = "The usage plan id.")
    String plan;

    @Option(names = "--key", required = true, description = "The API key id.")
    String key;
}
