package dev.tally.domain.common;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts an event that may come in floods (a malformed request, a failing store, a stray connection) so that
 * it is reported at most once per interval, with how many there were since the last report: one log line a
 * minute instead of one per event. Safe to call from any thread.
 */
public final class IntervalCounter {

    private final long intervalNanos;
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong nextReport = new AtomicLong(System.nanoTime());

    public IntervalCounter(Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    /** Counts one event; returns how many there were since the last report when a report is due now, else 0. */
    public long countAndReport() {
        long counted = count.incrementAndGet();
        long now = System.nanoTime();
        long due = nextReport.get();
        if (now - due >= 0 && nextReport.compareAndSet(due, now + intervalNanos)) {
            count.addAndGet(-counted);
            return counted;
        }
        return 0;
    }
}
