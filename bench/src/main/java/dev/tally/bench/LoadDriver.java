package dev.tally.bench;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/** Keeps a fixed number of calls in flight for a while and measures what completes after the warm-up. */
final class LoadDriver {

    /** One case's figures. */
    record Result(String name, int inFlight, double callsPerSecond, Histogram latencyMicros, long errors, String firstError,
                  double serverCpuMicros, double databaseCpuMicros) {

        /** One case's rounds (each measured for as long) as one result: the mean rate, all latencies, CPU per call. */
        static Result merge(List<Result> rounds) {
            Result first = rounds.get(0);
            Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
            double calls = 0;
            double serverCpu = 0;
            double databaseCpu = 0;
            long errors = 0;
            for (Result round : rounds) {
                latency.add(round.latencyMicros());
                calls += round.callsPerSecond();
                serverCpu += round.serverCpuMicros() * round.callsPerSecond();
                databaseCpu += round.databaseCpuMicros() * round.callsPerSecond();
                errors += round.errors();
            }
            String firstError = rounds.stream().map(Result::firstError).filter(e -> !e.isEmpty()).findFirst().orElse("");
            return new Result(first.name(), first.inFlight(), calls / rounds.size(), latency, errors, firstError,
                    calls == 0 ? 0 : serverCpu / calls, calls == 0 ? 0 : databaseCpu / calls);
        }
    }

    private final Duration warmup;
    private final Duration measure;
    private final LongSupplier serverCpuNanos;
    private final LongSupplier databaseCpuNanos;

    /**
     * serverCpuNanos and databaseCpuNanos: the server's and the database's CPU time so far (the latter always 0
     * for SQLite, which runs inside the server), to give each case its CPU per call.
     */
    LoadDriver(Duration warmup, Duration measure, LongSupplier serverCpuNanos, LongSupplier databaseCpuNanos) {
        this.warmup = warmup;
        this.measure = measure;
        this.serverCpuNanos = serverCpuNanos;
        this.databaseCpuNanos = databaseCpuNanos;
    }

    Result run(String name, int inFlight, Supplier<ListenableFuture<?>> call) throws InterruptedException {
        Semaphore slots = new Semaphore(inFlight);
        Histogram latency = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3);
        AtomicLong completed = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>("");
        long measureFrom = System.nanoTime() + warmup.toNanos();
        long measureUntil = measureFrom + measure.toNanos();
        long cpuFrom = -1;
        long databaseCpuFrom = 0;
        while (System.nanoTime() < measureUntil) {
            if (cpuFrom < 0 && System.nanoTime() >= measureFrom) {
                cpuFrom = serverCpuNanos.getAsLong();
                databaseCpuFrom = databaseCpuNanos.getAsLong();
            }
            slots.acquire();
            long start = System.nanoTime();
            ListenableFuture<?> future;
            try {
                future = call.get();
            } catch (RuntimeException e) {
                errors.incrementAndGet();
                firstError.compareAndSet("", e.toString());
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
                        firstError.compareAndSet("", (failed instanceof ExecutionException ? failed.getCause() : failed).toString());
                    }
                }
                slots.release();
            }, MoreExecutors.directExecutor());
        }
        long cpu = serverCpuNanos.getAsLong() - cpuFrom;
        long databaseCpu = databaseCpuNanos.getAsLong() - databaseCpuFrom;
        slots.acquire(inFlight);
        long calls = completed.get();
        return new Result(name, inFlight, calls / (measure.toNanos() / 1e9), latency, errors.get(), firstError.get(),
                calls == 0 ? 0 : cpu / 1000.0 / calls, calls == 0 ? 0 : databaseCpu / 1000.0 / calls);
    }
}
