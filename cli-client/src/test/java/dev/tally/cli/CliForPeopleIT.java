package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What people look at: usage charts, CSV, bulk import, completion, and the warnings they need. */
class CliForPeopleIT extends CliTestBase {

    private final LocalDate today = LocalDate.now(ZoneOffset.UTC);

    /** Three keys on a plan of 100 a day: a busy one, a quiet one and an idle one, over the last four days. */
    private record Pattern(String plan, String busy, String quiet, String idle) {
    }

    private Pattern usagePattern() {
        String plan = column(tally("plans", "create", "--name", "charted", "--quota-limit", "100", "--quota-period", "day"), 0);
        String busy = key(plan);
        String quiet = key(plan);
        String idle = key(plan);
        record(plan, busy, 4, 10);
        record(plan, busy, 3, 50);
        record(plan, busy, 1, 75);
        record(plan, quiet, 4, 5);
        return new Pattern(plan, busy, quiet, idle);
    }

    @Test
    void usageGet_drawsEachKeysTotalRemainingQuotaAndDailyUse_inTheGoldenLayout() {
        Pattern p = usagePattern();

        CliRun run = tally("usage", "get", "--plan", p.plan(), "--from", "-4d", "--to", "yesterday", "--sort", "used");

        assertThat(run.exitCode()).as(run.err()).isZero();
        String shown = run.out().replace(p.busy(), "bbbbbbbbbb").replace(p.quiet(), "qqqqqqqqqq").replace(p.idle(), "iiiiiiiiii");
        assertThat(shown).isEqualTo(String.join("\n",
                "KEY_ID      USED  REMAINING  QUOTA_USED       DAILY",
                "bbbbbbbbbb  135   25         ████████░░  75%  ▂▆·█",
                "qqqqqqqqqq  5     100        ░░░░░░░░░░   0%  ▁···",
                "iiiiiiiiii  0     100        ░░░░░░░░░░   0%  ····",
                "",
                "DAILY: one column a day, " + today.minusDays(4) + " to " + today.minusDays(1) + "; █ = 75 (the busiest day shown), · = none.",
                "QUOTA_USED: of 100 a day, at the end of " + today.minusDays(1) + ".",
                ""));
    }

    @Test
    void usageGet_onlyUsedAndSorting_chooseAndOrderTheKeys() {
        Pattern p = usagePattern();
        String[] range = {"usage", "get", "--plan", p.plan(), "--from", "-4d", "--to", "yesterday"};

        assertThat(keyColumn(tally(with(range, "--only-used", "--sort", "used")))).containsExactly(p.busy(), p.quiet());
        assertThat(keyColumn(tally(with(range, "--sort", "remaining")))).first().isEqualTo(p.busy());
        assertThat(keyColumn(tally(with(range, "--sort", "key")))).isSorted().hasSize(3);
        assertThat(keyColumn(tally(with(range)))).as("key order by default").isSorted();
        CliRun badSort = tally(with(range, "--sort", "loudest"));
        assertThat(badSort.exitCode()).isEqualTo(2);
        assertThat(badSort.err()).contains("--sort").contains("used, remaining, key");
    }

    @Test
    void usageGet_tableKeepsTheDays_csvSuitsSpreadsheets_andJsonHasEveryZero() {
        Pattern p = usagePattern();
        String[] range = {"usage", "get", "--plan", p.plan(), "--from", "-4d", "--to", "yesterday", "--key", p.busy()};

        List<String> table = tally(with(range, "-o", "table")).out().lines().toList();
        String csv = tally(with(range, "-o", "csv")).out();
        String json = tally(with(range, "-o", "json")).out();

        assertThat(table).hasSize(5).first().asString().startsWith("KEY_ID").contains("DATE");
        assertThat(csv).isEqualTo("key_id,date,used,remaining\r\n"
                + p.busy() + "," + today.minusDays(4) + ",10,90\r\n"
                + p.busy() + "," + today.minusDays(3) + ",50,50\r\n"
                + p.busy() + "," + today.minusDays(2) + ",0,100\r\n"
                + p.busy() + "," + today.minusDays(1) + ",75,25\r\n");
        assertThat(json).as("a day without use still says used 0")
                .containsPattern("\"date\": \"" + today.minusDays(2) + "\",\\s+\"used\": \"0\"").contains("\"position\": \"\"");
    }

    @Test
    void keysImport_createsAndAttachesGoodRows_reportsBadOnes_andExitsOne() throws Exception {
        String plan = column(tally("plans", "create", "--name", "bulk"), 0);
        Path file = dataDir.resolve("keys.csv");
        Files.writeString(file, String.join("\n",
                "name,value,plan",
                "web-1,," + plan,
                "\"web, two\",AbcdefghijKLMNOPqrst12345," + plan,
                "",
                "# a comment",
                "batch-only",
                "too-short,abc",
                "lost,,nosuch",
                "a,b,c,d",
                "\"unclosed,,"));

        CliRun run = tally("keys", "import", file.toString(), "--parallel", "3");

        assertThat(run.exitCode()).isEqualTo(1);
        List<String> rows = run.out().lines().skip(1).toList();
        assertThat(rows).hasSize(7);
        assertThat(rows.get(0)).startsWith("2 ").contains("web-1").contains(plan).endsWith("created, attached");
        assertThat(rows.get(1)).startsWith("3 ").contains("web, two").contains("AbcdefghijKLMNOPqrst12345").endsWith("created, attached");
        assertThat(rows.get(2)).startsWith("6 ").contains("batch-only").endsWith("created");
        assertThat(rows.subList(3, 7)).allMatch(row -> row.endsWith("FAILED"));
        assertThat(run.err()).contains("line 7: not created: INVALID_ARGUMENT")
                .contains("line 8: created as ").contains("but not attached (tally plans add-key --plan nosuch")
                .contains("line 9: expected NAME[,VALUE[,PLAN_ID]], found 4 values")
                .contains("line 10: a quoted value is not closed")
                .endsWith("3 of 7 rows imported, 4 failed\n");
        assertThat(tally("plans", "keys", "--plan", plan, "--all").out().lines()).hasSize(3);
        assertThat(tally("keys", "list", "--all").out().lines()).as("3 imported, and the one made but not attached").hasSize(5);

        Files.writeString(file, "ok-1\nok-2\n");
        CliRun good = tally("keys", "import", file.toString());
        assertThat(good.exitCode()).as(good.err()).isZero();
        assertThat(good.err()).isEqualTo("2 of 2 rows imported, 0 failed\n");
        assertThat(tally("keys", "import", dataDir.resolve("missing.csv").toString()).exitCode()).isEqualTo(2);
    }

    @Test
    void completion_printsAScriptForBashAndZsh_coveringEveryCommand() {
        CliRun bash = tally("completion", "bash");
        CliRun zsh = tally("completion", "zsh");

        assertThat(bash.exitCode()).isZero();
        assertThat(bash.out()).contains("complete -F _complete_tally").contains("usage").contains("licenses").contains("--only-used");
        assertThat(zsh.out()).contains("bashcompinit");
        assertThat(tally("completion", "fish").exitCode()).isEqualTo(2);
    }

    @Test
    void revokingTheKeyYouAreUsing_saysSo_andRevokingAnotherDoesNot() {
        CliRun second = tally("dev-keys", "create", "--name", "ci");
        String keyId = column(second, 0);
        String token = column(second, 1);
        CliRun third = tally("dev-keys", "create", "--name", "other");

        CliRun other = CliRun.run(server.target(), "--token", token, "dev-keys", "revoke", "--yes", column(third, 0));
        CliRun own = CliRun.run(server.target(), "--token", token, "dev-keys", "revoke", "--yes", keyId);

        assertThat(other.exitCode()).isZero();
        assertThat(other.err()).isEmpty();
        assertThat(own.exitCode()).isZero();
        assertThat(own.err()).startsWith("note: " + keyId + " was the key this CLI is using: its token no longer works.");
    }

    private String key(String plan) {
        String key = column(tally("keys", "create"), 0);
        tally("plans", "add-key", "--plan", plan, "--key", key);
        return key;
    }

    private void record(String plan, String key, int daysAgo, int count) {
        CliRun run = tally("usage", "record", "--plan", plan, "--key", key, "--count", Integer.toString(count),
                "--time", today.minusDays(daysAgo) + "T12:00:00Z");
        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    private static String[] with(String[] args, String... more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }

    /** The key ids of a chart, in the order shown. */
    private static List<String> keyColumn(CliRun run) {
        assertThat(run.exitCode()).as(run.err()).isZero();
        return run.out().lines().skip(1).takeWhile(line -> !line.isEmpty()).map(line -> line.split("\\s+")[0]).toList();
    }

    private static String column(CliRun run, int index) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        return run.out().lines().skip(1).findFirst().orElseThrow().split("\\s+")[index];
    }
}
