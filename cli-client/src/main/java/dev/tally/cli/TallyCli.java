package dev.tally.cli;

import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code tally}: the admin CLI. Global options are inherited by every subcommand, and every command has
 * {@code --help} (and {@code tally help <command>}). Exit codes: 0 done or allowed, 1 the server refused or
 * failed the call (status and reason are printed, never a stack trace), 2 a usage error, 3 a metering
 * decision that is not ALLOWED (printed all the same).
 */
@Command(name = "tally", mixinStandardHelpOptions = true, version = "tally 0.1.0",
        description = "Administer a Tally usage server.",
        subcommands = {HealthCommand.class, DevKeysCommand.class, AccessKeysCommand.class, TokensCommand.class, PoolsCommand.class,
                IdentitiesCommand.class, DatasetsCommand.class, RecordsCommand.class, PlansCommand.class, KeysCommand.class,
                UsageCommand.class, QuotaCommand.class, LicensesCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class})
public final class TallyCli {

    /** How results are printed. */
    public enum OutputFormat { table, json, csv }

    @Option(names = "--target", scope = ScopeType.INHERIT, defaultValue = "${env:TALLY_TARGET:-localhost:50051}",
            description = "Server address host:port (TALLY_TARGET; default ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--token", scope = ScopeType.INHERIT, defaultValue = "${env:TALLY_TOKEN}",
            description = "Bearer token (TALLY_TOKEN); else the contents of --token-file.")
    String token;

    @Option(names = "--token-file", scope = ScopeType.INHERIT, defaultValue = "${env:TALLY_TOKEN_FILE:-./data/admin.token}",
            description = "File holding the token when --token is not given (default ${DEFAULT-VALUE}).")
    Path tokenFile;

    @Option(names = "--tls", scope = ScopeType.INHERIT, description = "Connect with TLS.")
    boolean tls;

    @Option(names = "--ca-cert", scope = ScopeType.INHERIT, description = "PEM CA to trust for TLS (implies --tls).")
    Path caCert;

    @Option(names = "--authority", scope = ScopeType.INHERIT,
            description = "Server name to verify the TLS certificate against, when it differs from --target's host.")
    String authority;

    @Option(names = "--timeout", scope = ScopeType.INHERIT, defaultValue = "30",
            description = "Seconds to wait for each call (default ${DEFAULT-VALUE}).")
    double timeoutSeconds;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT,
            description = "table, json (every field, zeros included) or csv. Default: a table; usage get draws charts.")
    OutputFormat output;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** Exit code of a metering decision that is not ALLOWED: scripts can tell "refused" from "allowed". */
    static final int NOT_ALLOWED = 3;

    /** The configured command line: tests call {@code execute} on it with their own writers. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new TallyCli());
        withHelp(commandLine);
        // -o JSON and -o json alike; enum words are not case-sensitive anywhere.
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        Friendly.register(commandLine);
        commandLine.setExecutionExceptionHandler((failure, cmd, parsed) -> {
            TallyCli root = (TallyCli) cmd.getCommandSpec().root().userObject();
            cmd.getErr().println("error: " + describe(failure, root));
            // A setting the user must fix is a usage error; anything else, the call failed.
            return failure instanceof IllegalArgumentException ? 2 : 1;
        });
        return commandLine;
    }

    /** {@code --help} on every command and group, so {@code tally pools --help} shows the group's commands. */
    private static void withHelp(CommandLine command) {
        command.getCommandSpec().mixinStandardHelpOptions(true);
        command.getSubcommands().values().forEach(TallyCli::withHelp);
    }

    private static String describe(Exception failure, TallyCli root) {
        if (failure instanceof StatusRuntimeException rpc) {
            String described = Errors.describe(rpc, root.target);
            if (rpc.getStatus().getCode() == io.grpc.Status.Code.UNAUTHENTICATED && (root.token == null || root.token.isBlank())
                    && (root.tokenFile == null || !java.nio.file.Files.exists(root.tokenFile))) {
                described += " (no token was sent: give one with --token, TALLY_TOKEN or --token-file; a new server writes its first"
                        + " one to data/admin.token)";
            }
            return described;
        }
        return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    }
}
