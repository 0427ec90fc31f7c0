package dev.tally.domain.license;

import dev.tally.domain.common.ErrorReason;
import dev.tally.domain.common.FailedPreconditionException;
import dev.tally.domain.common.InvalidParameterException;
import dev.tally.domain.common.LimitExceededException;
import dev.tally.domain.common.NotFoundException;
import dev.tally.domain.common.TallyException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * CheckoutLicense's rule, decided on the license and its live consumption: the license must be AVAILABLE
 * and valid now; every requested entitlement must exist, carry its unit, and fit under max_count unless it
 * allows overage. One broken rule refuses the whole checkout.
 */
public final class CheckoutRules {

    private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]{1,18}");

    private CheckoutRules() {
    }

    /** The amount a requested value stands for: a positive whole number ("" means 1), or 0 for unit NONE. */
    public static long amount(int index, CheckoutRequest.RequestedEntitlement requested) {
        if (requested.unit() == EntitlementUnit.NONE) {
            return 0;
        }
        String value = requested.value().isEmpty() ? "1" : requested.value();
        if (!WHOLE_NUMBER.matcher(value).matches() || Long.parseLong(value) < 1) {
            throw new InvalidParameterException(ErrorReason.VALIDATION, "entitlements[" + index + "].value", "entitlements[" + index
                    + "].value " + TallyException.quote(value) + " is invalid: expected a whole number of at least 1 for unit " + requested.unit());
        }
        return Long.parseLong(value);
    }

    public static Checkout decide(License license, CheckoutRequest request, Map<String, Long> consumed, Instant now, String token) {
        if (license.status() != LicenseStatus.AVAILABLE) {
            throw new FailedPreconditionException(ErrorReason.ENTITLEMENT_NOT_ALLOWED, "license_arn",
                    "license '" + license.arn() + "' is " + license.status() + "; only AVAILABLE licenses can be checked out");
        }
        if (!license.validAt(now)) {
            throw new FailedPreconditionException(ErrorReason.ENTITLEMENT_NOT_ALLOWED, "license_arn", "license '" + license.arn()
                    + "' is valid from " + license.validFrom() + license.validUntil().map(end -> " until " + end).orElse("")
                    + ", not at " + now);
        }
        List<CheckoutItem> items = new ArrayList<>();
        Map<String, Long> requestedPerName = new HashMap<>();
        for (int i = 0; i < request.entitlements().size(); i++) {
            CheckoutRequest.RequestedEntitlement requested = request.entitlements().get(i);
            Entitlement entitlement = license.entitlement(requested.name()).orElseThrow(() -> new NotFoundException(
                    ErrorReason.NO_ENTITLEMENTS_ALLOWED, "entitlements", "license '" + license.arn() + "' has no entitlement "
                    + TallyException.quote(requested.name())));
            if (entitlement.unit() != requested.unit()) {
                throw new InvalidParameterException(ErrorReason.VALIDATION, "entitlements[" + i + "].unit", "entitlement '"
                        + entitlement.name() + "' is measured in " + entitlement.unit() + ", not " + requested.unit());
            }
            long amount = amount(i, requested);
            long total = requestedPerName.merge(entitlement.name(), amount, Long::sum);
            if (entitlement.counted() && !entitlement.overage()) {
                long inUse = consumed.getOrDefault(entitlement.name(), 0L);
                long max = entitlement.maxCount().orElseThrow();
                if (inUse + total > max) {
                    throw new LimitExceededException(ErrorReason.NO_ENTITLEMENTS_ALLOWED, "entitlements", "entitlement '"
                            + entitlement.name() + "' has " + Math.max(0, max - inUse) + " of " + max + " left; " + total + " requested");
                }
            }
            items.add(new CheckoutItem(entitlement.name(), requested.value().isEmpty() && entitlement.counted() ? "1" : requested.value(),
                    entitlement.unit(), amount));
        }
        boolean provisional = request.type() == CheckoutType.PROVISIONAL;
        Instant expiration = now.plus(Duration.ofMinutes(license.provisionalTtlMinutes()));
        return new Checkout(token, license.arn(), request.type(), items, now, provisional ? Optional.of(expiration) : Optional.empty(),
                provisional ? expiration : license.renewType().nextRenewal(now), false, request.nodeId(), request.beneficiary());
    }
}
