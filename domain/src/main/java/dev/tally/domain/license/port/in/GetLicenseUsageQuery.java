package dev.tally.domain.license.port.in;

import dev.tally.domain.common.Caller;
import dev.tally.domain.common.LicenseArn;
import dev.tally.domain.license.EntitlementUsage;
import java.util.List;

/**
 * GetLicenseUsage: consumed versus maximum per entitlement, in license order. Developers only
 * (AccessDeniedException); unknown license: NotFoundException (ResourceNotFoundException).
 */
public interface GetLicenseUsageQuery {

    List<EntitlementUsage> usage(Caller caller, LicenseArn arn);
}
