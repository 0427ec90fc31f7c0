package dev.tally.server;

import ch.qos.logback.core.OutputStreamAppender;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Log lines to standard output through a 64 KiB buffer that whoever drives the appender flushes. The access
 * log drives it from an async appender that flushes at the end of each batch it drains: under load one
 * write carries many lines instead of one write a call, and a lone call's line still goes out at once.
 * Logback's console appender writes through {@code System.out}, one flushed write per line.
 */
public final class BufferedStdoutAppender<E> extends OutputStreamAppender<E> {

    private static final int BUFFER_BYTES = 64 * 1024;

    @Override
    public void start() {
        setImmediateFlush(false);
        setOutputStream(new BufferedOutputStream(new KeepOpen(new FileOutputStream(FileDescriptor.out)), BUFFER_BYTES));
        super.start();
    }

    /** Stopping the appender flushes; it must not close file descriptor 1, which the other appenders share. */
    private static final class KeepOpen extends FilterOutputStream {
        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
