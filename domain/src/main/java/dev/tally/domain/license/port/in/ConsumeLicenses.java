package dev.tally.domain.license.port.in;

import dev.tally.domain.common.Caller;
import dev.tally.domain.license.Checkout;
import dev.tally.domain.license.CheckoutRequest;

/** Checkouts, check-ins and extensions. Developers only. */
public interface ConsumeLicenses {

    /**
     * All or nothing: unknown entitlement NotFoundException (NoEntitlementsAllowedException); wrong unit
     * InvalidParameterException (ValidationException); over max_count without overage LimitExceededException
     * (NoEntitlementsAllowedException); license not AVAILABLE or outside its validity FailedPreconditionException
     * (EntitlementNotAllowedException). The same client token returns the first checkout.
     */
    Checkout checkout(Caller caller, CheckoutRequest request);

    /**
     * Returns a provisional checkout. Perpetual, or an entitlement without check-in: FailedPreconditionException
     * (ConflictException). Unknown, expired or already checked in: NotFoundException.
     */
    void checkIn(Caller caller, String token);

    /** Extends a live provisional checkout by one time-to-live from now; returns it. */
    Checkout extend(Caller caller, String token);
}
