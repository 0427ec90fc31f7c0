package dev.tally.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A progress line on stderr for long work (many pages, many rows), redrawn in place. Shown only when stderr
 * is a terminal: in a pipe or a log file it would be noise, so there it prints nothing at all.
 */
final class Progress implements AutoCloseable {

    /** At most this often a redraw, so that fast work does not spend its time drawing. */
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final boolean shown;
    private long lastDrawn;
    private String last;

    private Progress(PrintWriter err, boolean shown) {
        this.err = err;
        this.shown = shown;
    }

    /** A progress line on {@code err}, drawn only if the process's stderr is a terminal. */
    static Progress on(PrintWriter err) {
        return new Progress(err, stderrIsTerminal());
    }

    /** Redraws the line with {@code text}, unless it was drawn a moment ago. */
    synchronized void update(String text) {
        last = text;
        long now = System.nanoTime();
        if (shown && now - lastDrawn >= REDRAW_NANOS) {
            draw(text);
            lastDrawn = now;
        }
    }

    /** Leaves the last state on screen, ended by a line break. */
    @Override
    public synchronized void close() {
        if (shown && last != null) {
            draw(last);
            err.println();
            err.flush();
        }
    }

    private void draw(String text) {
        // Carriage return, the text, then erase to the end of the line.
        err.print("\r" + text + "\u001b[K");
        err.flush();
    }

    /**
     * Whether file descriptor 2 is a terminal. {@link System#console()} answers for stdin and stdout, which is
     * wrong for {@code tally ... | jq}, where stderr still is one; so ask Linux what fd 2 is, and fall back.
     */
    static boolean stderrIsTerminal() {
        try {
            String device = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return device.startsWith("/dev/pts/") || device.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }
}
