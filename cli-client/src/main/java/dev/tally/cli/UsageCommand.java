package dev.tally.cli;

import com.google.protobuf.Timestamp;
import dev.tally.proto.v1.DailyUsage;
import dev.tally.proto.v1.GetUsageRequest;
import dev.tally.proto.v1.GetUsageResponse;
import dev.tally.proto.v1.RecordUsageRequest;
import dev.tally.proto.v1.RecordUsageResponse;
import dev.tally.proto.v1.UpdateUsageRequest;
import dev.tally.proto.v1.UpdateUsageResponse;
import dev.tally.proto.v1.UsageLog;
import dev.tally.proto.v1.UsagePlanServiceGrpc;
import dev.tally.proto.v1.UsageServiceGrpc;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "usage", description = "API-key usage: report, adjust, record.",
        subcommands = {UsageCommand.Get.class, UsageCommand.SetRemaining.class, UsageCommand.Record.class})
final class UsageCommand {

    @Command(name = "get", description = "Daily used and remaining per key of a plan (GetUsage).")
    static final class Get extends TallyCommand {
        @Option(names = "--plan", required = true, description = "The usage plan.")
        String plan;

        @Option(names = "--from", required = true, description = "First day: YYYY-MM-DD, today, yesterday or -7d.")
        java.time.LocalDate from;

        @Option(names = "--to", required = true, description = "Last day, as --from (at most 90 days in all).")
        java.time.LocalDate to;

        @Option(names = "--key", defaultValue = "", description = "Only this API key.")
        String key;

        @Option(names = "--limit", defaultValue = "0", description = "Keys per page (default 25, max 500).")
        int limit;

        @Option(names = "--position", defaultValue = "", description = "Continue from this position.")
        String position;

        @Option(names = "--all", description = "Follow position to the end.")
        boolean all;

        @Override
        int run(Session session, Output output) {
            var stub = session.stub(UsageServiceGrpc::newBlockingStub);
            GetUsageRequest request = GetUsageRequest.newBuilder().setUsagePlanId(plan).setStartDate(from.toString()).setEndDate(to.toString())
                    .setKeyId(key).setLimit(limit).build();
            GetUsageResponse response = Pages.fetch(position, all, "position",
                    next -> stub.getUsage(request.toBuilder().setPosition(next).build()));
            List<List<String>> rows = new ArrayList<>();
            Map<String, UsageLog> ordered = new TreeMap<>(response.getItemsMap());
            ordered.forEach((keyId, log) -> {
                for (DailyUsage day : log.getDaysList()) {
                    rows.add(List.of(keyId, day.getDate(), Long.toString(day.getUsed()),
                            day.hasRemaining() ? Long.toString(day.getRemaining()) : "-"));
                }
            });
            output.print(response, List.of("KEY_ID", "DATE", "USED", "REMAINING"), rows);
            if (!response.getPosition().isEmpty()) {
                spec.commandLine().getErr().println("more: --position " + response.getPosition() + " (or --all)");
            }
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
