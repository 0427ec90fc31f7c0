package dev.tally.cli;

import dev.tally.proto.v1.CreateUsagePlanKeyRequest;
import dev.tally.proto.v1.CreateUsagePlanKeyResponse;
import dev.tally.proto.v1.CreateUsagePlanRequest;
import dev.tally.proto.v1.CreateUsagePlanResponse;
import dev.tally.proto.v1.DeleteUsagePlanKeyRequest;
import dev.tally.proto.v1.DeleteUsagePlanKeyResponse;
import dev.tally.proto.v1.DeleteUsagePlanRequest;
import dev.tally.proto.v1.DeleteUsagePlanResponse;
import dev.tally.proto.v1.GetUsagePlanKeyRequest;
import dev.tally.proto.v1.GetUsagePlanKeyResponse;
import dev.tally.proto.v1.GetUsagePlanRequest;
import dev.tally.proto.v1.GetUsagePlanResponse;
import dev.tally.proto.v1.ListUsagePlanKeysRequest;
import dev.tally.proto.v1.ListUsagePlanKeysResponse;
import dev.tally.proto.v1.ListUsagePlansRequest;
import dev.tally.proto.v1.ListUsagePlansResponse;
import dev.tally.proto.v1.QuotaPeriod;
import dev.tally.proto.v1.QuotaSettings;
import dev.tally.proto.v1.ThrottleSettings;
import dev.tally.proto.v1.UsagePlan;
import dev.tally.proto.v1.UsagePlanKey;
import dev.tally.proto.v1.UpdateUsagePlanRequest;
import dev.tally.proto.v1.UpdateUsagePlanResponse;
import dev.tally.proto.v1.UsagePlanServiceGrpc;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "plans", description = "Usage plans and their API keys.",
        subcommands = {PlansCommand.Create.class, PlansCommand.Get.class, PlansCommand.Update.class, PlansCommand.ListPlans.class,
                PlansCommand.Delete.class, PlansCommand.Key.class,
                PlansCommand.AddKey.class, PlansCommand.RemoveKey.class, PlansCommand.Keys.class})
final class PlansCommand {

    private static final List<String> HEADERS = List.of("PLAN_ID", "NAME", "QUOTA", "THROTTLE", "TIME_ZONE", "CREATED");

    static List<String> row(UsagePlan plan) {
        String quota = plan.hasQuota() ? plan.getQuota().getLimit() + "/" + plan.getQuota().getPeriod().name().replace("QUOTA_PERIOD_", "")
                + (plan.getQuota().getOffset() > 0 ? " (offset " + plan.getQuota().getOffset() + ")" : "") : "-";
        String throttle = plan.hasThrottle() ? plan.getThrottle().getRateLimit() + "/s burst " + plan.getThrottle().getBurstLimit() : "-";
        return List.of(plan.getId(), plan.getName(), quota, throttle, plan.getTimeZone(), Output.time(plan.getCreateDate()));
    }

    @Command(name = "create", description = "Creates a usage plan; quota and throttle are optional.")
    static final class Create extends TallyCommand {
        @Option(names = "--name", required = true, description = "The plan's name.")
        String name;

        @Option(names = "--description", defaultValue = "", description = "A description.")
        String description;

        @Option(names = "--quota-limit", description = "Requests allowed per period.")
        Long quotaLimit;

        @Option(names = "--quota-period", description = "DAY, WEEK (from Monday) or MONTH (from the 1st).")
        String quotaPeriod;

        @Option(names = "--quota-offset", defaultValue = "0", description = "Requests taken off the limit in the first period.")
        long quotaOffset;

        @Option(names = "--burst", description = "Throttle: requests at once.")
        Integer burst;

        @Option(names = "--rate", description = "Throttle: requests per second.")
        Double rate;

        @Option(names = "--time-zone", defaultValue = "", description = "IANA time zone for days and periods (default UTC).")
        String timeZone;

        @Override
        int run(Session session, Output output) {
            CreateUsagePlanRequest.Builder request = CreateUsagePlanRequest.newBuilder()
                    .setName(name).setDescription(description).setTimeZone(timeZone);
            if (quotaLimit != null || quotaPeriod != null) {
                request.setQuota(QuotaSettings.newBuilder()
                        .setLimit(quotaLimit == null ? 0 : quotaLimit)
                        .setOffset(quotaOffset)
                        .setPeriodValue(quotaPeriod == null ? 0 : Enums.parse(spec, QuotaPeriod.class, "QUOTA_PERIOD_", "--quota-period", quotaPeriod).getNumber()));
            }
            if (burst != null || rate != null) {
                request.setThrottle(ThrottleSettings.newBuilder().setBurstLimit(burst == null ? 0 : burst).setRateLimit(rate == null ? 0 : rate));
            }
            CreateUsagePlanResponse response = session.stub(UsagePlanServiceGrpc::newBlockingStub).createUsagePlan(request.build());
            output.print(response, HEADERS, List.of(row(response.getUsagePlan())));
            return 0;
        }
    }

    @Command(name = "get", description = "Shows one usage plan.")
    static final class Get extends TallyCommand {
        @Parameters(paramLabel = "PLAN_ID", description = "The plan.")
        String plan;

        @Override
        int run(Session session, Output output) {
            GetUsagePlanResponse response = session.stub(UsagePlanServiceGrpc::newBlockingStub)
                    .getUsagePlan(GetUsagePlanRequest.newBuilder().setUsagePlanId(plan).build());
            output.print(response, HEADERS, List.of(row(response.getUsagePlan())));
            return 0;
        }
    }

    @Command(name = "update", description = "Changes a usage plan's name, description, quota or throttle; the rest stays.")
    static final class Update extends TallyCommand {
        @Parameters(paramLabel = "PLAN_ID", description = "The plan.")
        String plan;

        @Option(names = "--name", description = "A new name.")
        String name;

        @Option(names = "--description", description = "A new description.")
        String description;

        @Option(names = "--quota-limit", description = "A new quota limit (a plan without a quota also needs --quota-period).")
        Long quotaLimit;

        @Option(names = "--quota-offset", description = "A new quota offset.")
        Long quotaOffset;

        @Option(names = "--quota-period", description = "A new quota period: DAY, WEEK or MONTH.")
        String quotaPeriod;

        @Option(names = "--remove-quota", description = "Removes the quota.")
        boolean removeQuota;

        @Option(names = "--burst", description = "A new throttle burst limit.")
        Integer burst;

        @Option(names = "--rate", description = "A new throttle rate limit (requests per second).")
        Double rate;

        @Option(names = "--remove-throttle", description = "Removes the throttle.")
        boolean removeThrottle;

        @Override
        int run(Session session, Output output) {
            UpdateUsagePlanRequest.Builder request = UpdateUsagePlanRequest.newBuilder().setUsagePlanId(plan)
                    .setRemoveQuota(removeQuota).setRemoveThrottle(removeThrottle);
            if (name != null) {
                request.setName(name);
            }
            if (description != null) {
                request.setDescription(description);
            }
            if (quotaLimit != null) {
                request.setQuotaLimit(quotaLimit);
            }
            if (quotaOffset != null) {
                request.setQuotaOffset(quotaOffset);
            }
            if (quotaPeriod != null) {
                request.setQuotaPeriod(Enums.parse(spec, QuotaPeriod.class, "QUOTA_PERIOD_", "--quota-period", quotaPeriod));
            }
            if (burst != null) {
                request.setThrottleBurstLimit(burst);
            }
            if (rate != null) {
                request.setThrottleRateLimit(rate);
            }
            UpdateUsagePlanResponse response = session.stub(UsagePlanServiceGrpc::newBlockingStub).updateUsagePlan(request.build());
            output.print(response, HEADERS, List.of(row(response.getUsagePlan())));
            return 0;
        }
    }

    @Command(name = "key", description = "Shows one API key of a usage plan.")
    static final class Key extends TallyCommand {
        @Mixin
        PlanKeyOptions target;

        @Override
        int run(Session session, Output output) {
            GetUsagePlanKeyResponse response = session.stub(UsagePlanServiceGrpc::newBlockingStub)
                    .getUsagePlanKey(GetUsagePlanKeyRequest.newBuilder().setUsagePlanId(target.plan).setKeyId(target.key).build());
            output.print(response, List.of("KEY_ID", "TYPE", "NAME"), List.of(planKeyRow(response.getUsagePlanKey())));
            return 0;
        }
    }

    @Command(name = "list", description = "Lists usage plans.")
    static final class ListPlans extends TallyCommand {
        @Mixin
        PageOptions paging;

        @Option(names = "--key", defaultValue = "", description = "Only the plans this API key is associated with.")
        String key;

        @Override
        int run(Session session, Output output) {
            var stub = session.stub(UsagePlanServiceGrpc::newBlockingStub);
            ListUsagePlansResponse response = paging.fetch(spec, (size, token) -> stub.listUsagePlans(
                    ListUsagePlansRequest.newBuilder().setPageSize(size).setPageToken(token).setKeyId(key).build()));
            output.print(response, HEADERS, response.getUsagePlansList().stream().map(PlansCommand::row).toList());
            return 0;
        }
    }

    @Command(name = "delete", description = "Deletes a usage plan, its key associations and its usage.")
    static final class Delete extends TallyCommand {
        @Parameters(paramLabel = "PLAN_ID", description = "The plan.")
        String plan;

        @picocli.CommandLine.Mixin
        Confirmation confirmation;

        @Override
        int run(Session session, Output output) {
            confirmation.confirm("delete usage plan " + plan + " with its key associations and usage");
            DeleteUsagePlanResponse response = session.stub(UsagePlanServiceGrpc::newBlockingStub)
                    .deleteUsagePlan(DeleteUsagePlanRequest.newBuilder().setUsagePlanId(plan).build());
            output.print(response, List.of("DELETED"), List.of(List.of(plan)));
            return 0;
        }
    }

    @Command(name = "add-key", description = "Associates an API key with a usage plan.")
    static final class AddKey extends TallyCommand {
        @Mixin
        PlanKeyOptions target;

        @Override
        int run(Session session, Output output) {
            CreateUsagePlanKeyResponse response = session.stub(UsagePlanServiceGrpc::newBlockingStub)
                    .createUsagePlanKey(CreateUsagePlanKeyRequest.newBuilder().setUsagePlanId(target.plan).setKeyId(target.key).build());
            output.print(response, List.of("KEY_ID", "TYPE", "NAME"), List.of(planKeyRow(response.getUsagePlanKey())));
            return 0;
        }
    }

    @Command(name = "remove-key", description = "Removes an API key from a usage plan.")
    static final class RemoveKey extends TallyCommand {
        @Mixin
        PlanKeyOptions target;

        @Override
        int run(Session session, Output output) {
            DeleteUsagePlanKeyResponse response = session.stub(UsagePlanServiceGrpc::newBlockingStub)
                    .deleteUsagePlanKey(DeleteUsagePlanKeyRequest.newBuilder().setUsagePlanId(target.plan).setKeyId(target.key).build());
            output.print(response, List.of("REMOVED"), List.of(List.of(target.key)));
            return 0;
        }
    }

    @Command(name = "keys", description = "Lists the API keys of a usage plan.")
    static final class Keys extends TallyCommand {
        @Option(names = "--plan", required = true, description = "The plan.")
        String plan;

        @Mixin
        PageOptions paging;

        @Override
        int run(Session session, Output output) {
            var stub = session.stub(UsagePlanServiceGrpc::newBlockingStub);
            ListUsagePlanKeysResponse response = paging.fetch(spec, (size, token) -> stub.listUsagePlanKeys(
                    ListUsagePlanKeysRequest.newBuilder().setUsagePlanId(plan).setPageSize(size).setPageToken(token).build()));
            output.print(response, List.of("KEY_ID", "TYPE", "NAME"),
                    response.getUsagePlanKeysList().stream().map(PlansCommand::planKeyRow).toList());
            return 0;
        }
    }

    static List<String> planKeyRow(UsagePlanKey key) {
        return List.of(key.getId(), key.getType(), key.getName());
    }
}
