package dev.tally.grpc;

import dev.tally.domain.common.ErrorReason;
import dev.tally.domain.common.InvalidParameterException;
import dev.tally.domain.quota.ApiKey;
import dev.tally.domain.quota.DailyUsage;
import dev.tally.domain.quota.QuotaPeriod;
import dev.tally.domain.quota.QuotaSettings;
import dev.tally.domain.quota.ThrottleSettings;
import dev.tally.domain.quota.UsagePlan;
import dev.tally.proto.v1.Decision;

/** Usage plan messages between proto and domain. */
final class QuotaMapping {

    private QuotaMapping() {
    }

    static QuotaSettings quota(dev.tally.proto.v1.QuotaSettings proto) {
        QuotaPeriod period = switch (proto.getPeriod()) {
            case QUOTA_PERIOD_DAY -> QuotaPeriod.DAY;
            case QUOTA_PERIOD_WEEK -> QuotaPeriod.WEEK;
            case QUOTA_PERIOD_MONTH -> QuotaPeriod.MONTH;
            default -> throw new InvalidParameterException(ErrorReason.BAD_REQUEST, "quota.period", "quota.period "
                    + proto.getPeriodValue() + " is invalid: expected QUOTA_PERIOD_DAY, QUOTA_PERIOD_WEEK or QUOTA_PERIOD_MONTH");
        };
        return new QuotaSettings(proto.getLimit(), proto.getOffset(), period);
    }

    static ThrottleSettings throttle(dev.tally.proto.v1.ThrottleSettings proto) {
        return new ThrottleSettings(proto.getBurstLimit(), proto.getRateLimit());
    }

    static dev.tally.proto.v1.UsagePlan plan(UsagePlan plan) {
        dev.tally.proto.v1.UsagePlan.Builder proto = dev.tally.proto.v1.UsagePlan.newBuilder()
                .setId(plan.id().value())
                .setName(plan.name())
                .setDescription(plan.description())
                .setTimeZone(plan.timeZone().getId())
                .setCreateDate(ProtoTime.timestamp(plan.createdAt()));
        plan.quota().ifPresent(quota -> proto.setQuota(dev.tally.proto.v1.QuotaSettings.newBuilder()
                .setLimit(quota.limit())
                .setOffset(quota.offset())
                .setPeriod(dev.tally.proto.v1.QuotaPeriod.valueOf("QUOTA_PERIOD_" + quota.period().name()))));
        plan.throttle().ifPresent(throttle -> proto.setThrottle(dev.tally.proto.v1.ThrottleSettings.newBuilder()
                .setBurstLimit(throttle.burstLimit())
                .setRateLimit(throttle.rateLimit())));
        return proto.build();
    }

    static dev.tally.proto.v1.ApiKey key(ApiKey key) {
        return dev.tally.proto.v1.ApiKey.newBuilder()
                .setId(key.id().value())
                .setName(key.name())
                .setDescription(key.description())
                .setEnabled(key.enabled())
                .setCreateDate(ProtoTime.timestamp(key.createdAt()))
                .build();
    }

    static dev.tally.proto.v1.UsagePlanKey planKey(ApiKey key) {
        return dev.tally.proto.v1.UsagePlanKey.newBuilder().setId(key.id().value()).setType("API_KEY").setName(key.name()).build();
    }

    static dev.tally.proto.v1.DailyUsage daily(DailyUsage usage) {
        return daily(usage, usage.date().toString());
    }

    /** With the date already formatted: a GetUsage page formats each of its days once for all its keys. */
    static dev.tally.proto.v1.DailyUsage daily(DailyUsage usage, String date) {
        dev.tally.proto.v1.DailyUsage.Builder proto = dev.tally.proto.v1.DailyUsage.newBuilder()
                .setDate(date)
                .setUsed(usage.used());
        usage.remaining().ifPresent(proto::setRemaining);
        return proto.build();
    }

    static Decision decision(dev.tally.domain.quota.Decision decision) {
        return Decision.valueOf("DECISION_" + decision.name());
    }
}
