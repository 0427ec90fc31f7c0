package dev.tally.domain.quota.port.in;

import dev.tally.domain.common.ApiKeyId;
import dev.tally.domain.common.Caller;
import dev.tally.domain.common.UsagePlanId;
import dev.tally.domain.quota.ConsumeQuotaCommand;
import dev.tally.domain.quota.DailyUsage;
import dev.tally.domain.quota.QuotaDecision;
import dev.tally.domain.quota.RecordUsageCommand;

/** Metering: the gateway hot path, reported usage, and quota adjustments. Developers only. */
public interface MeterUsage {

    /**
     * Checks the key, the throttle and the quota, and consumes the cost only when all allow it. Denials are
     * decisions, not errors. Unknown plan: NotFoundException. A reused idempotency key returns the first
     * decision; reused for a different request: ConflictException.
     */
    QuotaDecision consumeQuota(Caller caller, ConsumeQuotaCommand command);

    /** Counts usage that already happened, without enforcing anything. */
    void recordUsage(Caller caller, RecordUsageCommand command);

    /** Sets what remains of the key's quota in the current period; returns today's usage after. */
    DailyUsage updateUsage(Caller caller, UsagePlanId plan, ApiKeyId key, long remaining);
}
