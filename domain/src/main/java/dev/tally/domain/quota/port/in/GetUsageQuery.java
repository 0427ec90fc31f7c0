package dev.tally.domain.quota.port.in;

import dev.tally.domain.common.Caller;
import dev.tally.domain.common.UsagePlanId;
import dev.tally.domain.quota.UsageReport;
import dev.tally.domain.quota.UsageQuery;

/**
 * GetUsage: daily used and remaining per API key of a plan, paged over keys. Developers only
 * (PermissionDeniedException, UnauthorizedException). Bad dates, range, limit or position:
 * InvalidParameterException (BadRequestException). Unknown plan or key: NotFoundException (NotFoundException).
 */
public interface GetUsageQuery {

    UsageReport getUsage(Caller caller, UsageQuery query);

    /**
     * Today's use and what remains, for the (up to 10) keys of the plan closest to their quota in the current
     * period, the closest first: one read of the period counters, whatever the number of keys. Developers only.
     */
    UsageReport closestToQuota(Caller caller, UsagePlanId plan);
}
