package dev.tally.grpc;

import dev.tally.domain.common.ErrorReason;
import dev.tally.domain.common.InvalidParameterException;
import dev.tally.domain.quota.ApiKey;
import dev.tally.domain.quota.ApiKeyWithValue;
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
        return new QuotaSettings(proto.getLimit(), proto.getOffset(), period(proto.getPeriodValue(), "quota.period"));
    }

    static QuotaPeriod period(int number, String field) {
        return switch (number) {
            case dev.tally.proto.v1.QuotaPeriod.QUOTA_PERIOD_DAY_VALUE -> QuotaPeriod.DAY;
            case dev.tally.proto.v1.QuotaPeriod.QUOTA_PERIOD_WEEK_VALUE -> QuotaPeriod.WEEK;
            case dev.tally.proto.v1.QuotaPeriod.QUOTA_PERIOD_MONTH_VALUE -> QuotaPeriod.MONTH;
            default -> throw new InvalidParameterException(ErrorReason.BAD_REQUEST, field, field + " "
                    + number + " is invalid: expected QUOTA_PERIOD_DAY, QUOTA_PERIOD_WEEK or QUOTA_PERIOD_MONTH");
        };
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

    static dev.tally.proto.v1.ApiKey key(ApiKeyWithValue key) {
        dev.tally.proto.v1.ApiKey proto = key(key.key());
        return key.value().isEmpty() ? proto : proto.toBuilder().setValue(key.value().get().value()).build();
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
