package dev.tally.cli;

/**
 * How many terminal columns text takes: two for East Asian wide and full-width characters and most emoji,
 * none for combining marks, zero-width characters and variation selectors, one otherwise. Control
 * characters are shown as one column ({@link #printable} replaces them), so a value cannot move the cursor.
 */
final class DisplayWidth {

    /**
     * The most columns a table cell shows; longer values (a record's value, say) end in an ellipsis, and JSON
     * shows them whole. Wide enough for every id, ARN, token and key value Tally makes or accepts whole.
     */
    static final int MAX_CELL = 160;

    private DisplayWidth() {
    }

    static int of(String text) {
        int width = 0;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            width += columns(codePoint);
            i += Character.charCount(codePoint);
        }
        return width;
    }

    /** {@code text} cut to at most {@code max} columns, with an ellipsis when something was cut; control characters as '?'. */
    static String cell(String text, int max) {
        String shown = printable(text);
        if (of(shown) <= max) {
            return shown;
        }
        StringBuilder cut = new StringBuilder();
        int width = 0;
        for (int i = 0; i < shown.length(); ) {
            int codePoint = shown.codePointAt(i);
            int columns = columns(codePoint);
            if (width + columns > max - 1) {
                break;
            }
            cut.appendCodePoint(codePoint);
            width += columns;
            i += Character.charCount(codePoint);
        }
        return cut.append('…').toString();
    }

    /** {@code text} padded with spaces to {@code columns}. */
    static String pad(String text, int columns) {
        return text + " ".repeat(Math.max(0, columns - of(text)));
    }

    private static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }

    private static int columns(int c) {
        int type = Character.getType(c);
        if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT
                || c >= 0xFE00 && c <= 0xFE0F || c == 0x200B) {
            return 0;
        }
        return wide(c) ? 2 : 1;
    }

    /** East Asian Wide (W) and Fullwidth (F) ranges, and the emoji planes, as terminals draw them. */
    private static boolean wide(int c) {
        return c >= 0x1100 && c <= 0x115F || c >= 0x2E80 && c <= 0x303E || c >= 0x3041 && c <= 0x33FF
                || c >= 0x3400 && c <= 0x4DBF || c >= 0x4E00 && c <= 0x9FFF || c >= 0xA000 && c <= 0xA4CF
                || c >= 0xAC00 && c <= 0xD7A3 || c >= 0xF900 && c <= 0xFAFF || c >= 0xFE30 && c <= 0xFE4F
                || c >= 0xFF00 && c <= 0xFF60 || c >= 0xFFE0 && c <= 0xFFE6 || c >= 0x1F300 && c <= 0x1F64F
                || c >= 0x1F900 && c <= 0x1F9FF || c >= 0x1F680 && c <= 0x1F6FF || c >= 0x20000 && c <= 0x3FFFD;
    }
}
