package dev.tally.domain.license;

import dev.tally.domain.common.ErrorReason;
import dev.tally.domain.common.InvalidParameterException;
import dev.tally.domain.common.TallyException;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * One capability of a license. Unit NONE takes a {@code value} (a tier or feature) and no maximum; every
 * other unit takes {@code maxCount} of at least 0 and no value.
 */
public record Entitlement(String name, EntitlementUnit unit, OptionalLong maxCount, String value, boolean overage,
                          boolean allowCheckIn) {

    private static final Pattern NAME = Pattern.compile("^\\P{Cc}{1,255}$");
    private static final Pattern VALUE = Pattern.compile("^\\P{Cc}{0,1024}$");

    public Entitlement {
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(maxCount, "maxCount");
        Objects.requireNonNull(value, "value");
        if (name == null || !NAME.matcher(name).matches()) {
            throw invalid("name", "entitlement name " + TallyException.quote(name) + " is invalid: expected 1..255 printable characters");
        }
        if (unit == EntitlementUnit.NONE) {
            if (maxCount.isPresent()) {
                throw invalid("max_count", "entitlement '" + name + "' has unit NONE, which takes a value and no max_count");
            }
            if (!VALUE.matcher(value).matches()) {
                throw invalid("value", "entitlement '" + name + "' has a value of " + value.length()
                        + " characters: expected at most 1024 printable characters");
            }
        } else {
            if (maxCount.isEmpty() || maxCount.getAsLong() < 0) {
                throw invalid("max_count", "entitlement '" + name + "' needs a max_count of at least 0 for unit " + unit);
            }
            if (!value.isEmpty()) {
                throw invalid("value", "entitlement '" + name + "' has unit " + unit + ", which takes max_count and no value");
            }
        }
    }

    /** Whether checkouts of this entitlement are counted (all units but NONE). */
    public boolean counted() {
        return unit != EntitlementUnit.NONE;
    }

    private static InvalidParameterException invalid(String field, String message) {
        return new InvalidParameterException(ErrorReason.VALIDATION, "entitlements." + field, message);
    }
}
