package dev.tally.cli;

import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code tally}: the admin CLI. Global options are inherited by every subcommand, and every command has
 * {@code --help} (and {@code tally help <command>}). Exit codes: 0 done or allowed, 1 the server refused or
 * failed the call (status and reason are printed, never a stack trace), 2 a usage error, 3 a metering
 * decision that is not ALLOWED (printed all the same).
 */
@Command(name = "tally", mixinStandardHelpOptions = true, version = "tally 0.1.0",
        description = "Administer a Tally usage server.")
public final class TallyCli {

    /**
     * The command groups, in the order help lists them. picocli reads every command's annotations when it is
     * added, which costs about a quarter of a second for all of them, at every start; so a command line gets
     * only the group it names (see {@link #commandLine(String...)}).
     */
    private static final Map<String, Class<?>> GROUPS = groups(HealthCommand.class, DevKeysCommand.class, AccessKeysCommand.class,
            TokensCommand.class, PoolsCommand.class, IdentitiesCommand.class, DatasetsCommand.class, RecordsCommand.class,
            PlansCommand.class, KeysCommand.class, UsageCommand.class, QuotaCommand.class, LicensesCommand.class,
            CompletionCommand.class, CommandLine.HelpCommand.class);

    /** Global options that take a value, so that a value is never mistaken for a group's name. */
    private static final Set<String> GLOBAL_OPTIONS_WITH_VALUES = Set.of("--target", "--token", "--token-file", "--ca-cert",
            "--authority", "--timeout", "-o", "--output");

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
        System.exit(commandLine(args).execute(args));
    }

    /** Exit code of a metering decision that is not ALLOWED: scripts can tell "refused" from "allowed". */
    static final int NOT_ALLOWED = 3;

    /** The configured command line with every command (help at the top level and completion need them all). */
    public static CommandLine commandLine() {
        return build(GROUPS.keySet());
    }

    /**
     * The configured command line for {@code args}: only the group they name, when they name one other than
     * {@code help} and {@code completion}; else every group. Tests call {@code execute} on it with their own writers.
     */
    public static CommandLine commandLine(String... args) {
        for (int i = 0; i < args.length; i++) {
            if (GLOBAL_OPTIONS_WITH_VALUES.contains(args[i])) {
                i++;
            } else if (!args[i].startsWith("-")) {
                boolean needsAll = !GROUPS.containsKey(args[i]) || args[i].equals("help") || args[i].equals("completion");
                return needsAll ? commandLine() : build(Set.of(args[i]));
            }
        }
        return commandLine();
    }

    private static CommandLine build(Set<String> groups) {
        CommandLine commandLine = new CommandLine(new TallyCli());
        GROUPS.forEach((name, group) -> {
            if (groups.contains(name)) {
                commandLine.addSubcommand(group);
            }
        });
        // Everything below applies to the commands added so far, so it comes after them.
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

    private static Map<String, Class<?>> groups(Class<?>... commands) {
        Map<String, Class<?>> byName = new LinkedHashMap<>();
        for (Class<?> command : commands) {
            byName.put(command.getAnnotation(Command.class).name(), command);
        }
        return byName;
    }

    /** What each exit code means, at the end of every command's help. */
    private static final Map<String, String> EXIT_CODES = exitCodes();

    /**
     * {@code --help} on every command and group (so {@code tally pools --help} shows the group's commands),
     * each leaf command's example, and the exit codes.
     */
    private static void withHelp(CommandLine command) {
        CommandSpec spec = command.getCommandSpec();
        spec.mixinStandardHelpOptions(true);
        String path = spec.qualifiedName(" ").replaceFirst("^tally ?", "");
        String example = Examples.BY_COMMAND.get(path);
        if (example != null && command.getSubcommands().isEmpty()) {
            List<String> footer = new ArrayList<>(List.of(spec.usageMessage().footer()));
            footer.addAll(List.of("", "Example:", "  " + example));
            spec.usageMessage().footer(footer.toArray(String[]::new));
        }
        spec.usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(EXIT_CODES);
        command.getSubcommands().values().forEach(TallyCli::withHelp);
    }

    private static Map<String, String> exitCodes() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put("0", "Done, or allowed.");
        codes.put("1", "The server refused or failed the call, or could not be reached.");
        codes.put("2", "A usage error: fix the command line.");
        codes.put("3", "A metering decision that is not ALLOWED (printed all the same).");
        return codes;
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
