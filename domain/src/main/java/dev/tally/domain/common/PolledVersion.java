package dev.tally.domain.common;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * A version kept in the store (one that every change to some metadata moves, whichever server makes it),
 * read again at most once per {@code interval}: by the first call that finds it older than that, while the
 * calls meanwhile go on with the version as last read. Caches keyed to it see another server's change
 * within about {@code interval}, at the cost of one small read per interval, not one per cached value.
 */
public final class PolledVersion implements LongSupplier {

    private final LongSupplier read;
    private final Clock clock;
    private final Duration interval;
    private final AtomicBoolean reading = new AtomicBoolean();
    private volatile long version;
    /** When the version is to be read again. */
    private volatile Instant due = Instant.MIN;

    public PolledVersion(LongSupplier read, Clock clock, Duration interval) {
        this.read = Objects.requireNonNull(read, "read");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.interval = Objects.requireNonNull(interval, "interval");
    }

    @Override
    public long getAsLong() {
        Instant now = clock.instant();
        if (!now.isBefore(due) && reading.compareAndSet(false, true)) {
            try {
                version = read.getAsLong();
                due = now.plus(interval);
            } finally {
                reading.set(false);
            }
        }
        return version;
    }
}
