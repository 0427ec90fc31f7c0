package dev.tally.domain.quota.port.in;

import dev.tally.domain.common.Caller;
import dev.tally.domain.quota.UsageReport;
import dev.tally.domain.quota.UsageQuery;

/**
 * GetUsage: daily used and remaining per API key of a plan, paged over keys. Developers only
 * (PermissionDeniedException, UnauthorizedException). Bad dates, range, limit or position:
 * InvalidParameterException (BadRequestException). Unknown plan or key: NotFoundException (NotFoundException).
 */
public interface GetUsageQuery {

    UsageReport getUsage(Caller caller, UsageQuery query);
}
