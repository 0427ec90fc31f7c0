package dev.tally.domain.common;

/**
 * How one listing RPC spells and bounds its paging: the field names its errors must name, the default and
 * maximum page size, and the AWS reason a bad value carries.
 */
public record PageSpec(String sizeField, String tokenField, int defaultSize, int maxSize, ErrorReason reason) {

    /** Tally's own listings: {@code page_size} (default 25, max 500) and {@code page_token}. */
    public static final PageSpec STANDARD =
            new PageSpec("page_size", "page_token", 25, 500, ErrorReason.INVALID_PARAMETER);

    /** Returns the page size to use for a requested one: 0 means the default; negative or over the maximum is rejected. */
    public int size(int requested) {
        if (requested == 0) {
            return defaultSize;
        }
        if (requested < 0 || requested > maxSize) {
            throw new InvalidParameterException(reason, sizeField,
                    sizeField + " " + requested + " is out of range: expected 0 (for " + defaultSize + ") to " + maxSize);
        }
        return requested;
    }
}
