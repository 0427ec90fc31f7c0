package dev.tally.persistence;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gathering half of a group commit: worker threads that each take every item waiting at that moment (up
 * to a limit) and hand them to one call of a handler, which answers each item. A worker that is busy lets
 * items gather for the next batch, so batches grow with the load and one item alone waits for nobody.
 * Each batch's size, and how long its oldest item waited for its answer, are metered under the queue's name.
 */
final class BatchQueue<T> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BatchQueue.class);
    /** Tells one worker to stop; it passes it on to the next. */
    private static final Object STOP = new Object();

    /** An item and when it was queued. */
    private record Queued(Object item, long since) {
    }

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final DistributionSummary batchSizes;
    private final Timer waits;
    private final int maxBatch;
    private final Consumer<List<T>> handler;
    private final Consumer<T> refuse;
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean closed;

    /**
     * @param handler answers every item of a batch, and must not throw
     * @param refuse  answers an item that came too late, after {@link #close()}
     */
    BatchQueue(String name, int threads, int maxBatch, Consumer<List<T>> handler, Consumer<T> refuse, MeterRegistry meters) {
        String queueLabel = name.replaceFirst("^tally-", "");
        this.batchSizes = DistributionSummary.builder("tally.store.batch.size")
                .description("Items answered together by one batch (a group commit, a shared read)")
                .tag("queue", queueLabel).serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512).register(meters);
        this.waits = Timer.builder("tally.store.batch.wait")
                .description("How long a batch's oldest item waited from being queued to being answered")
                .tag("queue", queueLabel).serviceLevelObjectives(java.time.Duration.ofNanos(250_000), java.time.Duration.ofMillis(1),
                        java.time.Duration.ofMillis(5), java.time.Duration.ofMillis(25), java.time.Duration.ofMillis(100),
                        java.time.Duration.ofMillis(500), java.time.Duration.ofSeconds(2)).register(meters);
        this.maxBatch = maxBatch;
        this.handler = handler;
        this.refuse = refuse;
        for (int i = 0; i < threads; i++) {
            Thread worker = new Thread(this::run, threads == 1 ? name : name + "-" + i);
            worker.setDaemon(true);
            workers.add(worker);
        }
        workers.forEach(Thread::start);
    }

    /** Queues {@code item} for the next batch; once closed, refuses it instead. */
    void add(T item) {
        if (!closed) {
            Queued queued = new Queued(item, System.nanoTime());
            queue.add(queued);
            // Closed meanwhile: the workers may have gone, so take it back unless one of them has it.
            if (!closed || !queue.remove(queued)) {
                return;
            }
        }
        refuse.accept(item);
    }

    /**
     * Waits for an item's answer (a managed block, so a call pool runs other calls meanwhile) and throws its
     * failure as it was thrown.
     */
    static <R> R await(CompletableFuture<R> answer) {
        try {
            return answer.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** Whether {@code thread} is one of the workers (which must never wait for a batch of their own). */
    boolean isWorker(Thread thread) {
        return workers.contains(thread);
    }

    @SuppressWarnings("unchecked")
    private void run() {
        List<Object> taken = new ArrayList<>(maxBatch);
        List<T> batch = new ArrayList<>(maxBatch);
        while (true) {
            taken.clear();
            batch.clear();
            try {
                taken.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(taken, maxBatch - 1);
            boolean stopping = taken.remove(STOP);
            if (!taken.isEmpty()) {
                long oldest = ((Queued) taken.get(0)).since();
                taken.forEach(queued -> batch.add((T) ((Queued) queued).item()));
                try {
                    handler.accept(batch);
                } catch (RuntimeException | Error e) {
                    log.error("A batch of {} failed unanswered", batch.size(), e);
                }
                batchSizes.record(batch.size());
                waits.record(System.nanoTime() - oldest, java.util.concurrent.TimeUnit.NANOSECONDS);
            }
            if (stopping) {
                queue.add(STOP);
                return;
            }
        }
    }

    /** Lets the workers finish what is queued, stops them, and refuses whatever came too late for them. */
    @Override
    @SuppressWarnings("unchecked")
    public void close() {
        closed = true;
        queue.add(STOP);
        for (Thread worker : workers) {
            try {
                worker.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Object left;
        while ((left = queue.poll()) != null) {
            if (left != STOP) {
                refuse.accept((T) ((Queued) left).item());
            }
        }
    }
}
