package dev.tally.domain.license.port.in;

import dev.tally.domain.common.Caller;
import dev.tally.domain.common.LicenseArn;
import dev.tally.domain.common.Page;
import dev.tally.domain.license.License;
import dev.tally.domain.license.LicenseStatus;
import dev.tally.domain.license.NewLicense;

/**
 * Licenses. Developers only (PermissionDeniedException, AccessDeniedException). Bad input:
 * InvalidParameterException (ValidationException); unknown license: NotFoundException (ResourceNotFoundException).
 */
public interface ManageLicenses {

    /** Creates a license; the same client token returns the first license, or ConflictException for another request. */
    License create(Caller caller, NewLicense license);

    License get(Caller caller, LicenseArn arn);

    /** Licenses ordered by ARN; page size 0 means 25, at most 500. */
    Page<License> list(Caller caller, int pageSize, String pageToken);

    License updateStatus(Caller caller, LicenseArn arn, LicenseStatus status);
}
