package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import dev.tally.proto.v1.CreateDeveloperKeyResponse;
import dev.tally.proto.v1.ListDeveloperKeysResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CLI against a real server: each subcommand, both output formats, and the exit codes. */
class CliIT extends CliTestBase {

    @Test
    void health_printsServing_withoutAToken() {
        CliRun run = CliRun.run(server.target(), "health");

        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.out()).contains("(server)").contains("SERVING");
        assertThat(CliRun.run(server.target(), "health", "--service", "tally.v1.AccessService").out()).contains("SERVING");
    }

    @Test
    void devKeys_createListRevoke_inTableAndJson() throws Exception {
        CliRun created = tally("dev-keys", "create", "--name", "ci");
        assertThat(created.exitCode()).isEqualTo(0);
        assertThat(created.out()).startsWith("KEY_ID").contains("tally_dev_");

        CliRun json = tally("--output", "json", "dev-keys", "create", "--name", "deploy");
        CreateDeveloperKeyResponse.Builder parsed = CreateDeveloperKeyResponse.newBuilder();
        JsonFormat.parser().merge(json.out(), parsed);
        assertThat(parsed.getToken()).startsWith("tally_dev_");

        CliRun all = tally("-o", "json", "dev-keys", "list", "--page-size", "1", "--all");
        ListDeveloperKeysResponse.Builder listed = ListDeveloperKeysResponse.newBuilder();
        JsonFormat.parser().merge(all.out(), listed);
        assertThat(listed.getDeveloperKeysCount()).isEqualTo(3);
        assertThat(listed.getNextPageToken()).isEmpty();

        CliRun firstPage = tally("dev-keys", "list", "--page-size", "1");
        assertThat(firstPage.out().lines()).hasSize(2);
        assertThat(firstPage.err()).startsWith("more: --page-token ");

        CliRun revoked = tally("dev-keys", "revoke", "--yes", parsed.getKeyId());
        assertThat(revoked.exitCode()).isEqualTo(0);
        assertThat(revoked.out()).contains(parsed.getKeyId()).contains("deploy");
    }

    @Test
    void refusedCall_exitsOne_withStatusAndReason_andNoStackTrace() {
        CliRun run = tally("dev-keys", "revoke", "-y", "bootstrap0000000");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: FAILED_PRECONDITION (FailedPreconditionException): ")
                .doesNotContain("Exception\n\tat ").doesNotContain("\tat ");
    }

    @Test
    void badOrMissingToken_exitsOne_unauthenticated() {
        CliRun bad = CliRun.run(server.target(), "--token", "tally_dev_" + "x".repeat(43), "dev-keys", "list");
        CliRun missing = CliRun.run(server.target(), "--token-file", dataDir.resolve("nope").toString(), "dev-keys", "list");

        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).startsWith("error: UNAUTHENTICATED (UnauthorizedException)");
        // A token file that was named but is not there is the user's mistake, said before any call.
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo("error: the token file " + dataDir.resolve("nope") + " does not exist: point --token-file"
                + " (TALLY_TOKEN_FILE) at the file, or give the token with --token (TALLY_TOKEN)\n");
    }

    @Test
    void everyCommandAndGroup_hasHelp_andHelpNamesTheCommand() {
        List<List<String>> paths = new ArrayList<>();
        collect(TallyCli.commandLine(), new ArrayList<>(), paths);
        assertThat(paths).hasSizeGreaterThan(30);
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            CliRun help = CliRun.run(server.target(), args.toArray(String[]::new));
            assertThat(help.exitCode()).as(String.join(" ", args)).isZero();
            assertThat(help.out()).as(String.join(" ", args)).startsWith("Usage: tally").contains(path.isEmpty() ? "tally" : path.get(path.size() - 1))
                    .contains("Exit codes:").contains("  3   A metering decision that is not ALLOWED");
            boolean leaf = paths.stream().noneMatch(other -> other.size() > path.size() && other.subList(0, path.size()).equals(path));
            if (leaf) {
                assertThat(help.out()).as("an example for " + String.join(" ", path)).contains("%nExample:%n  ".formatted());
            }
        }
        assertThat(Examples.BY_COMMAND.keySet()).as("no example for a command that does not exist")
                .allMatch(command -> paths.contains(List.of(command.split(" "))) || command.equals("help"));
        CliRun viaHelp = CliRun.run(server.target(), "help", "usage");
        assertThat(viaHelp.exitCode()).isZero();
        assertThat(viaHelp.out()).startsWith("Usage: tally usage");
    }

    private static void collect(picocli.CommandLine command, List<String> path, List<List<String>> paths) {
        paths.add(path);
        command.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help") && sub.getCommandName().equals(name)) {
                List<String> deeper = new ArrayList<>(path);
                deeper.add(name);
                collect(sub, deeper, paths);
            }
        });
    }

    /** main builds only the group a command line names; a value of a global option is never taken for one. */
    @Test
    void aCommandLineGetsOnlyTheGroupItNames_orEveryGroupForHelp() {
        int every = TallyCli.commandLine().getSubcommands().size();

        assertThat(TallyCli.commandLine("--target", "usage:1", "-o", "json", "--timeout", "plans", "health").getSubcommands())
                .containsOnlyKeys("health");
        assertThat(TallyCli.commandLine("--tls", "plans", "list").getSubcommands()).containsOnlyKeys("plans");
        assertThat(TallyCli.commandLine("help", "usage").getSubcommands()).hasSize(every);
        assertThat(TallyCli.commandLine("--help").getSubcommands()).hasSize(every);
        assertThat(TallyCli.commandLine("nosuch").getSubcommands()).hasSize(every);
        assertThat(tally("--timeout", "5", "health").exitCode()).isZero();
    }

    @Test
    void daysAndMoments_areReadAsPeopleWriteThem_andBadOnesShowAnExample() {
        String plan = tally("plans", "create", "--name", "days").out().lines().skip(1).findFirst().orElseThrow().split("\\s+")[0];
        CliRun relative = tally("-o", "json", "usage", "get", "--plan", plan, "--from", "-7d", "--to", "today");
        assertThat(relative.exitCode()).as(relative.err()).isZero();
        assertThat(relative.out()).contains(java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(7).toString());
        assertThat(tally("usage", "get", "--plan", plan, "--from", "yesterday", "--to", "TODAY").exitCode()).isZero();

        CliRun bad = tally("usage", "get", "--plan", plan, "--from", "last tuesday", "--to", "today");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--from").contains("'last tuesday' is not a day such as 2026-03-01, today, yesterday or -7d")
                .doesNotContain("java.").doesNotContain("Exception");
        assertThat(Friendly.instant("2026-03-01")).isEqualTo(java.time.Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(Friendly.instant("2026-03-01T09:30")).isEqualTo(java.time.Instant.parse("2026-03-01T09:30:00Z"));
        assertThat(Friendly.instant("2026-03-01T09:30:00+02:00")).isEqualTo(java.time.Instant.parse("2026-03-01T07:30:00Z"));
        assertThat(Friendly.duration("90s")).isEqualTo(java.time.Duration.ofSeconds(90));
        assertThat(Friendly.duration("2h")).isEqualTo(java.time.Duration.ofHours(2));
        assertThat(Friendly.duration("600")).isEqualTo(java.time.Duration.ofMinutes(10));
    }

    @Test
    void exitCodes_tellAllowedFromRefused_andUsageErrorsFromUnreachableServers() {
        String plan = tally("plans", "create", "--name", "exit codes", "--quota-limit", "1", "--quota-period", "DAY").out().lines().skip(1)
                .findFirst().orElseThrow().split("\\s+")[0];
        String key = tally("keys", "create", "--name", "k").out().lines().skip(1).findFirst().orElseThrow().split("\\s+")[0];
        assertThat(tally("plans", "add-key", "--plan", plan, "--key", key).exitCode()).isZero();

        CliRun allowed = tally("quota", "consume", "--plan", plan, "--key", key);
        CliRun refused = tally("quota", "consume", "--plan", plan, "--key", key);
        assertThat(allowed.exitCode()).isZero();
        assertThat(refused.exitCode()).isEqualTo(3);
        assertThat(refused.out()).contains("QUOTA_EXCEEDED");

        assertThat(tally("--timeout", "0", "health").exitCode()).isEqualTo(2);
        assertThat(tally("-o", "JSON", "dev-keys", "list").exitCode()).isZero();
        CliRun unreachable = CliRun.run("127.0.0.1:1", "health");
        assertThat(unreachable.exitCode()).isEqualTo(1);
        assertThat(unreachable.err()).startsWith("error: cannot reach the server at 127.0.0.1:1 (").contains("Set --target or TALLY_TARGET")
                .doesNotContain("\tat ");
        CliRun badHost = CliRun.run("no-such-host.invalid:50051", "health");
        assertThat(badHost.exitCode()).isEqualTo(1);
        assertThat(badHost.err().lines()).singleElement().asString().startsWith("error: cannot reach the server at no-such-host.invalid:50051");
    }

    @Test
    void usageErrors_exitTwo() {
        assertThat(tally("dev-keys", "create").exitCode()).isEqualTo(2);
        assertThat(tally("no-such-command").exitCode()).isEqualTo(2);
        assertThat(tally("--output", "xml", "health").exitCode()).isEqualTo(2);
        assertThat(tally("dev-keys").exitCode()).isEqualTo(2);
    }

    @Test
    void poolsIdentitiesAndTokens_workTogether() {
        CliRun pool = tally("pools", "create", "--name", "mobile app");
        String poolId = pool.out().lines().skip(1).findFirst().orElseThrow().split("\\s+")[0];
        CliRun identity = tally("identities", "create", "--pool", poolId);
        String identityId = identity.out().lines().skip(1).findFirst().orElseThrow().split("\\s+")[0];

        CliRun token = tally("tokens", "issue", "--pool", poolId, "--identity", identityId, "--ttl", "600");
        CliRun pools = tally("pools", "list", "--all");

        assertThat(poolId).startsWith("us-east-1:");
        assertThat(identityId).startsWith("us-east-1:");
        assertThat(token.exitCode()).isEqualTo(0);
        assertThat(token.out()).contains("tally_idt_");
        assertThat(pools.out()).contains(poolId).contains("mobile app");
        assertThat(tally("tokens", "issue", "--pool", poolId, "--identity", identityId, "--ttl", "30").err())
                .contains("INVALID_ARGUMENT (InvalidParameterException)").contains("ttl");

        assertThat(tally("tokens", "issue", "--pool", poolId, "--identity", identityId, "--ttl", "15m").out()).contains("tally_idt_");
        CliRun badTtl = tally("tokens", "issue", "--pool", poolId, "--identity", identityId, "--ttl", "soon");
        assertThat(badTtl.exitCode()).isEqualTo(2);
        assertThat(badTtl.err()).contains("'soon' is not a duration such as 90s, 15m, 2h or PT1H").doesNotContain("java.");
        CliRun revoked = tally("tokens", "revoke", "--pool", poolId, "--identity", identityId);
        assertThat(revoked.exitCode()).isEqualTo(0);
        assertThat(revoked.out().lines().toList()).containsExactly("REVOKED", "2");
    }
}
