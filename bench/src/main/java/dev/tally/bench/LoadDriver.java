package dev.tally.bench;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/** Keeps a fixed number of calls in flight for a while and measures what completes after the warm-up. */
final class LoadDriver {

    /** One case's figures. */
    record Result(String name, int inFlight, double callsPerSecond, Histogram latencyMicros, long errors) {
    }

    private final Duration warmup;
    private final Duration measure;

    LoadDriver(Duration warmup, Duration measure) {
        this.warmup = warmup;
        this.measure = measure;
    }

    Result run(String name, int inFlight, Supplier<ListenableFuture<?>> call) throws InterruptedException {
        Semaphore slots = new Semaphore(inFlight);
        Histogram latency = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3);
        AtomicLong completed = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long measureFrom = System.nanoTime() + warmup.toNanos();
        long measureUntil = measureFrom + measure.toNanos();
        while (System.nanoTime() < measureUntil) {
            slots.acquire();
            long start = System.nanoTime();
            ListenableFuture<?> future;
            try {
                future = call.get();
            } catch (RuntimeException e) {
                errors.incrementAndGet();
                slots.release();
                continue;
            }
            future.addListener(() -> {
                long end = System.nanoTime();
                if (start >= measureFrom && end <= measureUntil) {
                    completed.incrementAndGet();
                    latency.recordValue(Math.max(1, (end - start) / 1000));
                    try {
                        future.get();
                    } catch (Exception failed) {
                        errors.incrementAndGet();
                    }
                }
                slots.release();
            }, MoreExecutors.directExecutor());
        }
        slots.acquire(inFlight);
        return new Result(name, inFlight, completed.get() / (measure.toNanos() / 1e9), latency, errors.get());
    }
}
