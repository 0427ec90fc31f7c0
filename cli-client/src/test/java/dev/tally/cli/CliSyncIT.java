package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import dev.tally.proto.v1.DescribeIdentityPoolUsageResponse;
import dev.tally.proto.v1.DescribeIdentityUsageResponse;
import dev.tally.proto.v1.ListRecordsResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The identity sync subcommands against a real server. */
class CliSyncIT extends CliTestBase {

    private String pool;
    private String identity;

    @BeforeEach
    void createIdentity() {
        pool = firstColumn(tally("pools", "create", "--name", "app"));
        identity = firstColumn(tally("identities", "create", "--pool", pool));
    }

    private String[] at(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--pool";
        all[args.length + 1] = pool;
        all[args.length + 2] = "--identity";
        all[args.length + 3] = identity;
        return all;
    }

    @Test
    void recordsPutListRemove_runWholeSessions_andTheUsageFollows() throws Exception {
        CliRun put = tally(at("records", "put", "--dataset", "settings", "theme=dark", "lang=fr"));
        CliRun again = tally(at("records", "put", "--dataset", "settings", "theme=light"));

        assertThat(put.exitCode()).as(put.err()).isEqualTo(0);
        assertThat(put.out()).contains("theme").contains("dark").contains("tally-cli");
        assertThat(again.out()).contains("light");
        ListRecordsResponse.Builder listed = ListRecordsResponse.newBuilder();
        JsonFormat.parser().merge(tally(at("-o", "json", "records", "list", "--dataset", "settings", "--all")).out(), listed);
        assertThat(listed.getRecordsList()).extracting(r -> r.getKey() + "=" + r.getValue() + "@" + r.getSyncCount())
                .containsExactlyInAnyOrder("lang=fr@1", "theme=light@2");
        assertThat(tally(at("records", "list", "--dataset", "settings", "--since", "1")).out()).contains("theme").doesNotContain("lang");

        DescribeIdentityUsageResponse.Builder usage = DescribeIdentityUsageResponse.newBuilder();
        JsonFormat.parser().merge(tally(at("-o", "json", "identities", "usage")).out(), usage);
        assertThat(usage.getIdentityUsage().getDataStorage()).isEqualTo("theme".length() + "light".length() + "lang".length() + "fr".length());

        CliRun removed = tally(at("records", "remove", "--dataset", "settings", "theme"));
        assertThat(removed.exitCode()).isEqualTo(0);
        assertThat(tally(at("identities", "usage")).out()).contains(identity).containsPattern("\\s1\\s+6\\s");
    }

    @Test
    void datasetsListAndDelete_andPoolUsage() throws Exception {
        tally(at("records", "put", "--dataset", "a", "k=v"));
        tally(at("records", "put", "--dataset", "b", "k=vv"));

        CliRun datasets = tally(at("datasets", "list", "--all"));
        CliRun firstPage = tally(at("datasets", "list", "--page-size", "1"));
        CliRun oldWords = tally(at("datasets", "list", "--max-results", "1", "--next-token", firstPage.err().split("\\s+")[2]));
        CliRun deleted = tally(at("datasets", "delete", "--yes", "a"));
        CliRun missing = tally(at("datasets", "delete", "--yes", "a"));
        DescribeIdentityPoolUsageResponse.Builder poolUsage = DescribeIdentityPoolUsageResponse.newBuilder();
        JsonFormat.parser().merge(tally("-o", "json", "pools", "usage", "--pool", pool).out(), poolUsage);

        assertThat(datasets.out()).contains("a").contains("b");
        assertThat(deleted.exitCode()).isEqualTo(0);
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).startsWith("error: NOT_FOUND (ResourceNotFoundException)");
        assertThat(poolUsage.getIdentityPoolUsage().getDataStorage()).isEqualTo(3);
        assertThat(poolUsage.getIdentityPoolUsage().getSyncSessionsCount()).isEqualTo(2);
        assertThat(tally("pools", "usage", "--pool", pool).out()).as("the old option form").contains(pool).contains(" 3 B ");
        assertThat(tally("pools", "usage", pool).out()).contains(pool).contains(" 3 B ");
        assertThat(tally("-o", "csv", "pools", "usage", pool).out()).startsWith("pool_id,sync_sessions,data_storage,last_modified\r\n"
                + pool + ",2,3,");
        assertThat(firstPage.err()).startsWith("more: --page-token ");
        assertThat(firstPage.out().lines()).hasSize(2).anyMatch(line -> line.startsWith("a "));
        assertThat(oldWords.out().lines()).as("--max-results and --next-token stay as hidden aliases")
                .hasSize(2).anyMatch(line -> line.startsWith("b "));
    }

    @Test
    void tooLargeRecord_exitsOne_withTheLimitReason() {
        CliRun run = tally(at("records", "put", "--dataset", "big", "kk=" + "v".repeat(1_048_575)));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: RESOURCE_EXHAUSTED (LimitExceededException)");
    }

    private static String firstColumn(CliRun run) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        return run.out().lines().skip(1).findFirst().orElseThrow().split("\\s+")[0];
    }

    @Test
    void poolsAndIdentities_areDescribedListedAndDeleted_withEveryPoolsUsage() {
        tally(at("records", "put", "--dataset", "prefs", "theme=dark"));
        assertThat(tally("pools", "describe", pool).out()).contains(pool).contains("app");
        assertThat(tally("identities", "list", "--pool", pool, "--all").out()).contains(identity);
        assertThat(tally("identities", "describe", identity).out()).contains(identity).contains(pool);
        assertThat(tally(at("datasets", "describe", "prefs")).out()).containsPattern("prefs\\s+1\\s+9 B");
        assertThat(tally("pools", "usage", "--all").out()).containsPattern(java.util.regex.Pattern.quote(pool) + "\\s+1\\s+9 B");
        assertThat(tally("tokens", "issue", "--pool", pool, "--identity", identity).out()).containsPattern("ASIA[A-Z2-7]{16}");

        CliRun unconfirmed = tally("pools", "delete", pool);
        assertThat(unconfirmed.exitCode()).isEqualTo(2);
        assertThat(unconfirmed.err()).contains("--yes");
        assertThat(tally("pools", "describe", pool).exitCode()).isEqualTo(0);
        assertThat(tally("pools", "delete", pool, "--yes").exitCode()).isEqualTo(0);
        CliRun gone = tally("identities", "describe", identity);
        assertThat(gone.exitCode()).isEqualTo(1);
        assertThat(gone.err()).contains("NOT_FOUND");
        assertThat(tally("pools", "usage", "--all").out()).doesNotContain(pool);
    }
}
