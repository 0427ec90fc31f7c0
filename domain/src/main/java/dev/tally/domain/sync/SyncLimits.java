package dev.tally.domain.sync;

import dev.tally.domain.common.InvalidParameterException;
import dev.tally.domain.common.TallyException;

/** Cognito Sync's limits and the size rule they are measured with. */
public final class SyncLimits {

    public static final int MAX_KEY_CHARS = 1024;
    public static final int MAX_VALUE_CHARS = 1_048_575;
    public static final int MAX_RECORDS_PER_DATASET = 1024;
    public static final long MAX_BYTES_PER_DATASET = 1_048_576;
    public static final int MAX_DATASETS_PER_IDENTITY = 20;
    public static final int MAX_DEVICE_ID_CHARS = 256;

    private SyncLimits() {
    }

    /** UTF-8 bytes of the key plus UTF-8 bytes of the value. */
    public static long size(String key, String value) {
        return utf8Length(key) + utf8Length(value);
    }

    static void requireKey(String field, String key) {
        int chars = key.codePointCount(0, key.length());
        if (chars < 1 || chars > MAX_KEY_CHARS) {
            throw new InvalidParameterException(field, field + " " + TallyException.quote(key)
                    + " is invalid: expected 1.." + MAX_KEY_CHARS + " characters, got " + chars);
        }
    }

    static void requireValue(String field, String value) {
        int chars = value.codePointCount(0, value.length());
        if (chars > MAX_VALUE_CHARS) {
            throw new InvalidParameterException(field, field + " is too long: expected at most " + MAX_VALUE_CHARS
                    + " characters, got " + chars);
        }
    }

    private static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
