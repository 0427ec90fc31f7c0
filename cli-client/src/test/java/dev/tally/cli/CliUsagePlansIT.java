package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import dev.tally.proto.v1.ConsumeQuotaResponse;
import dev.tally.proto.v1.Decision;
import dev.tally.proto.v1.GetUsageResponse;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The usage plan subcommands against a real server. */
class CliUsagePlansIT extends CliTestBase {

    private final String today = LocalDate.now(ZoneOffset.UTC).toString();

    @Test
    void plansKeysQuotaAndUsage_workTogether() throws Exception {
        String plan = firstColumn(tally("plans", "create", "--name", "gold", "--quota-limit", "3", "--quota-period", "day",
                "--burst", "100", "--rate", "50"));
        CliRun key = tally("keys", "create", "--name", "gateway");
        String keyId = firstColumn(key);
        String value = key.out().lines().skip(1).findFirst().orElseThrow().split("\\s+")[1];
        assertThat(tally("plans", "add-key", "--plan", plan, "--key", keyId).out()).contains("API_KEY");

        assertThat(tally("quota", "consume", "--plan", plan, "--key", keyId, "--cost", "2").out()).contains("ALLOWED");
        ConsumeQuotaResponse.Builder byValue = ConsumeQuotaResponse.newBuilder();
        JsonFormat.parser().merge(tally("-o", "json", "quota", "consume", "--plan", plan, "--api-key", value, "--cost", "2").out(), byValue);
        assertThat(byValue.getDecision()).isEqualTo(Decision.DECISION_QUOTA_EXCEEDED);
        assertThat(tally("usage", "set-remaining", "--plan", plan, "--key", keyId, "--remaining", "10").out()).contains(today).contains("10");
        tally("usage", "record", "--plan", plan, "--key", keyId, "--count", "4", "--idempotency-key", "log-7");
        tally("usage", "record", "--plan", plan, "--key", keyId, "--count", "4", "--idempotency-key", "log-7");

        GetUsageResponse.Builder report = GetUsageResponse.newBuilder();
        JsonFormat.parser().merge(tally("-o", "json", "usage", "get", "--plan", plan, "--from", today, "--to", today).out(), report);
        assertThat(report.getItemsMap().get(keyId).getDays(0).getUsed()).isEqualTo(6);
        assertThat(report.getItemsMap().get(keyId).getDays(0).getRemaining()).isEqualTo(6);
        assertThat(tally("usage", "get", "--plan", plan, "--from", today, "--to", today).out())
                .contains("KEY_ID").contains(keyId).contains(today);

        tally("keys", "disable", keyId);
        assertThat(tally("quota", "consume", "--plan", plan, "--key", keyId).out()).contains("KEY_REJECTED");
        assertThat(tally("keys", "enable", keyId).out()).contains("true");
        assertThat(tally("keys", "list").out()).contains(keyId).doesNotContain(value);
        assertThat(tally("plans", "get", plan).out()).contains("3/DAY").contains("50.0/s burst 100");
        assertThat(tally("plans", "keys", "--plan", plan).out()).contains(keyId);
        assertThat(tally("plans", "key", "--plan", plan, "--key", keyId).out()).contains("gateway");
        assertThat(tally("plans", "list", "--key", keyId).out()).contains(plan);
        assertThat(tally("plans", "update", plan, "--quota-limit", "7", "--name", "silver", "--remove-throttle").out())
                .contains("silver").contains("7/DAY").doesNotContain("burst");
        assertThat(tally("plans", "update", plan, "--quota-period", "year").exitCode()).isEqualTo(2);
        assertThat(tally("keys", "get", keyId, "--include-value").out()).contains(value);
        assertThat(tally("keys", "list", "--name-query", "gate", "--include-values").out()).contains(keyId).contains(value);
        assertThat(tally("keys", "list", "--name-query", "nomatch").out()).doesNotContain(keyId);
        assertThat(tally("plans", "remove-key", "--plan", plan, "--key", keyId).exitCode()).isZero();
        assertThat(tally("plans", "remove-key", "--plan", plan, "--key", keyId).err()).startsWith("error: NOT_FOUND (NotFoundException)");
        CliRun unconfirmed = tally("plans", "delete", plan);
        assertThat(unconfirmed.exitCode()).isEqualTo(2);
        assertThat(unconfirmed.err()).isEqualTo("error: not on a terminal, so nothing was asked: add --yes to delete usage plan " + plan
                + " with its key associations and usage\n");
        assertThat(tally("plans", "get", plan).exitCode()).as("still there").isZero();
        assertThat(tally("plans", "delete", "--yes", plan).exitCode()).isZero();
        assertThat(tally("plans", "get", plan).err()).startsWith("error: NOT_FOUND (NotFoundException)");
        assertThat(tally("keys", "delete", "--yes", keyId).exitCode()).isZero();
        assertThat(tally("keys", "get", keyId).err()).startsWith("error: NOT_FOUND (NotFoundException)");
    }

    @Test
    void accessKeys_createListDelete() {
        CliRun created = tally("access-keys", "create", "--description", "laptop");
        String accessKeyId = firstColumn(created);
        assertThat(accessKeyId).matches("AKIA[A-Z2-7]{16}");
        assertThat(created.out().lines().skip(1).findFirst().orElseThrow().split("\\s+")[1]).hasSize(40);
        assertThat(tally("access-keys", "list").out()).contains(accessKeyId).contains("laptop");
        assertThat(tally("access-keys", "delete", "--yes", accessKeyId).exitCode()).isZero();
        assertThat(tally("access-keys", "list").out()).doesNotContain(accessKeyId);
        assertThat(tally("access-keys", "delete", "--yes", accessKeyId).err()).startsWith("error: NOT_FOUND (ResourceNotFoundException)");
    }

    @Test
    void usageGetAll_followsPositionThroughEveryKey_andBadRangesExitOne() {
        String plan = firstColumn(tally("plans", "create", "--name", "many"));
        for (int i = 0; i < 3; i++) {
            tally("plans", "add-key", "--plan", plan, "--key", firstColumn(tally("keys", "create")));
        }

        CliRun all = tally("-o", "table", "usage", "get", "--plan", plan, "--from", today, "--to", today, "--page-size", "1", "--all");
        CliRun one = tally("-o", "table", "usage", "get", "--plan", plan, "--from", today, "--to", today, "--page-size", "1");
        CliRun oldWords = tally("-o", "table", "usage", "get", "--plan", plan, "--from", today, "--to", today, "--limit", "1",
                "--position", one.err().split("\\s+")[2]);
        CliRun tooLong = tally("usage", "get", "--plan", plan, "--from", "2026-01-01", "--to", "2026-04-01");

        assertThat(all.out().lines()).hasSize(4);
        assertThat(one.out().lines()).hasSize(2);
        assertThat(one.err()).startsWith("more: --page-token ");
        assertThat(oldWords.exitCode()).as("--limit and --position stay as hidden aliases").isZero();
        assertThat(oldWords.out().lines()).hasSize(2).doesNotContain(one.out().lines().skip(1).findFirst().orElseThrow());
        assertThat(tally("usage", "get", "--help").out()).contains("--page-size").doesNotContain("--limit").doesNotContain("--position");
        assertThat(all.err()).as("no progress line off a terminal").isEmpty();
        assertThat(tally("plans", "list", "--all").out()).contains(plan);
        assertThat(tooLong.exitCode()).isEqualTo(1);
        assertThat(tooLong.err()).startsWith("error: INVALID_ARGUMENT (BadRequestException)").contains("91 days");
    }

    private static String firstColumn(CliRun run) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
        return run.out().lines().skip(1).findFirst().orElseThrow().split("\\s+")[0];
    }
}
