package dev.tally.cli;

import com.google.protobuf.Timestamp;
import dev.tally.proto.v1.DailyUsage;
import dev.tally.proto.v1.GetUsageRequest;
import dev.tally.proto.v1.GetUsageResponse;
import dev.tally.proto.v1.RecordUsageRequest;
import dev.tally.proto.v1.RecordUsageResponse;
import dev.tally.proto.v1.UpdateUsageRequest;
import dev.tally.proto.v1.UpdateUsageResponse;
import dev.tally.proto.v1.GetUsagePlanRequest;
import dev.tally.proto.v1.UsagePlan;
import dev.tally.proto.v1.UsagePlanServiceGrpc;
import dev.tally.proto.v1.UsageServiceGrpc;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "usage", description = "API-key usage: report, adjust, record.",
        subcommands = {UsageCommand.Get.class, UsageCommand.SetRemaining.class, UsageCommand.Record.class})
final class UsageCommand {

    @Command(name = "get", description = {"Used and remaining per key of a plan, day by day (GetUsage).",
            "Without -o it draws each key's total, remaining quota and daily use as a chart; -o table gives one row a day,"
                    + " -o csv the same for spreadsheets, -o json every field with zeros present."})
    static final class Get extends TallyCommand {
        @Option(names = "--plan", required = true, description = "The usage plan.")
        String plan;

        @Option(names = "--from", required = true, description = "First day: YYYY-MM-DD, today, yesterday or -7d.")
        LocalDate from;

        @Option(names = "--to", required = true, description = "Last day, as --from (at most 90 days in all).")
        LocalDate to;

        @Option(names = "--key", defaultValue = "", description = "Only this API key.")
        String key;

        @Mixin
        PageOptions paging;



        @Option(names = "--only-used", description = "Only keys with some use in the range.")
        boolean onlyUsed;

        @Option(names = "--sort", defaultValue = "key", description = "Key order: used (most first), remaining (least first) or key"
                + " (default ${DEFAULT-VALUE}).")
        UsageChart.Order sort;

        @Override
        int run(Session session, Output output) {
            var stub = session.stub(UsageServiceGrpc::newBlockingStub);
            GetUsageRequest request = GetUsageRequest.newBuilder().setUsagePlanId(plan).setStartDate(from.toString())
                    .setEndDate(to.toString()).setKeyId(key).build();
            GetUsageResponse response = paging.fetch(spec, "position",
                    (size, token) -> stub.getUsage(request.toBuilder().setLimit(size).setPosition(token).build()));
            List<UsageChart.KeyUsage> keys = response.getItemsMap().entrySet().stream()
                    .map(e -> new UsageChart.KeyUsage(e.getKey(), e.getValue().getDaysList()))
                    .filter(k -> !onlyUsed || k.used() > 0).sorted(sort.comparator).toList();
            if (output.ownView()) {
                UsagePlan usagePlan = session.stub(UsagePlanServiceGrpc::newBlockingStub)
                        .getUsagePlan(GetUsagePlanRequest.newBuilder().setUsagePlanId(plan).build()).getUsagePlan();
                output.lines(UsageChart.render(keys, LocalDate.parse(response.getStartDate()), LocalDate.parse(response.getEndDate()),
                        usagePlan.hasQuota() ? Optional.of(usagePlan.getQuota()) : Optional.empty()));
                return 0;
            }
            GetUsageResponse.Builder shown = response.toBuilder().clearItems();
            List<List<String>> rows = new ArrayList<>();
            for (UsageChart.KeyUsage usage : keys) {
                shown.putItems(usage.keyId(), response.getItemsOrThrow(usage.keyId()));
                for (DailyUsage day : usage.days()) {
                    rows.add(List.of(usage.keyId(), day.getDate(), Long.toString(day.getUsed()),
                            day.hasRemaining() ? Long.toString(day.getRemaining()) : "-"));
                }
            }
            output.print(shown, List.of("KEY_ID", "DATE", "USED", "REMAINING"), rows);
            return 0;
        }
    }

    @Command(name = "set-remaining", description = "Sets what remains of a key's quota in the current period (UpdateUsage).")
    static final class SetRemaining extends TallyCommand {
        @Mixin
        PlanKeyOptions target;

        @Option(names = "--remaining", required = true, description = "What remains from now until the period ends.")
        long remaining;

        @Override
        int run(Session session, Output output) {
            UpdateUsageResponse response = session.stub(UsagePlanServiceGrpc::newBlockingStub).updateUsage(UpdateUsageRequest.newBuilder()
                    .setUsagePlanId(target.plan).setKeyId(target.key).setRemaining(remaining).build());
            DailyUsage today = response.getToday();
            output.print(response, List.of("DATE", "USED", "REMAINING"),
                    List.of(List.of(today.getDate(), Long.toString(today.getUsed()), Long.toString(today.getRemaining()))));
            return 0;
        }
    }

    @Command(name = "record", description = "Records usage that already happened (RecordUsage; not enforced).")
    static final class Record extends TallyCommand {
        @Mixin
        PlanKeyOptions target;

        @Option(names = "--count", required = true, description = "Requests to add.")
        long count;

        @Option(names = "--time", description = "When they happened: 2026-03-01T09:30:00Z, a local time (UTC), a day or today (default now).")
        Instant time;

        @Option(names = "--idempotency-key", defaultValue = "", description = "Makes a retry count once.")
        String idempotencyKey;

        @Override
        int run(Session session, Output output) {
            Instant at = time == null ? Instant.now() : time;
            RecordUsageResponse response = session.stub(UsagePlanServiceGrpc::newBlockingStub).recordUsage(RecordUsageRequest.newBuilder()
                    .setUsagePlanId(target.plan).setKeyId(target.key).setCount(count).setIdempotencyKey(idempotencyKey)
                    .setTime(Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano())).build());
            output.print(response, List.of("RECORDED", "AT"), List.of(List.of(Long.toString(count), at.toString())));
            return 0;
        }
    }
}
