package dev.tally.domain.license.port.in;

import dev.tally.domain.common.Caller;
import dev.tally.domain.common.LicenseArn;
import dev.tally.domain.common.Page;
import dev.tally.domain.license.Checkout;
import dev.tally.domain.license.License;
import dev.tally.domain.license.LicenseStatus;
import dev.tally.domain.license.NewLicense;
import java.time.Instant;
import java.util.List;

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

    /**
     * Deletes a license: its status becomes DELETED, so it can no longer be checked out; it stays readable.
     * {@code sourceVersion} must be the license's current version (else ResourceConflictException; a license
     * already deleted is FailedPreconditionException, both ConflictException on AWS). Returns when it was deleted.
     */
    Instant delete(Caller caller, LicenseArn arn, String sourceVersion);

    /**
     * The license AWS's CheckoutLicense means by a product SKU and an issuer's key fingerprint (see
     * {@link License#keyFingerprint()}): the oldest that can be checked out now, else the oldest at all, so
     * that the checkout says why it is refused. None: NotFoundException.
     */
    License findForCheckout(Caller caller, String productSku, String keyFingerprint);

    /** Up to 100 of the license's checkouts still counting now, the newest first. Unknown license: NotFoundException. */
    List<Checkout> liveCheckouts(Caller caller, LicenseArn arn);
}
