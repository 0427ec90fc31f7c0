package dev.tally.domain.common;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/** Format checks and random generation shared by the id value objects. */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final String HEX = "0123456789abcdef";

    private Ids() {
    }

    /**
     * Returns {@code value} when it fully matches {@code pattern} (null counts as empty, which the pattern may
     * allow); otherwise throws an {@link InvalidParameterException} naming the field, the value and what was
     * expected.
     */
    public static String require(String field, String value, Pattern pattern, ErrorReason reason, String expected) {
        if (value == null) {
            value = "";
        }
        if (value.isEmpty() && !pattern.matcher(value).matches()) {
            throw new InvalidParameterException(reason, field, field + " is required: expected " + expected);
        }
        if (!pattern.matcher(value).matches()) {
            throw new InvalidParameterException(reason, field,
                    field + " " + TallyException.quote(value) + " is invalid: expected " + expected);
        }
        return value;
    }

    /** Like {@link #require} but never echoes the value: for secrets. */
    public static String requireSecret(String field, String value, Pattern pattern, ErrorReason reason, String expected) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new InvalidParameterException(reason, field, field + " is invalid: expected " + expected);
        }
        return value;
    }

    public static String randomLowerAlnum(int length) {
        return random(LOWER_ALNUM, length);
    }

    public static String randomAlnum(int length) {
        return random(ALNUM, length);
    }

    public static String randomHex(int length) {
        return random(HEX, length);
    }

    /** {@code length} characters drawn from {@code alphabet} by a secure random source. */
    public static String random(String alphabet, int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = alphabet.charAt(RANDOM.nextInt(alphabet.length()));
        }
        return new String(out);
    }
}
