package dev.tally.domain.common;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Large reads (GetUsage pages of hundreds of keys by up to 90 days) are built and written out a few at a
 * time, whichever door they come through: a burst of them at once would otherwise each hold a page of
 * objects and exhaust a small heap. One instance serves every door.
 */
public final class LargeReads {

    /** Pages over this many keys count as large. */
    public static final int LARGE_PAGE_KEYS = 100;

    private final Semaphore permits;

    public LargeReads(int atOnce) {
        this.permits = new Semaphore(Math.max(1, atOnce), true);
    }

    /**
     * Runs {@code read} (building the reply and writing it out) holding a permit when {@code large}. Waiting
     * for one tells a work-stealing call pool, which runs other calls meanwhile.
     */
    public <T> T read(boolean large, Supplier<T> read) {
        if (!large) {
            return read.get();
        }
        try {
            ForkJoinPool.managedBlock(new ForkJoinPool.ManagedBlocker() {
                @Override
                public boolean block() throws InterruptedException {
                    permits.acquire();
                    return true;
                }

                @Override
                public boolean isReleasable() {
                    return permits.tryAcquire();
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to read a large page", e);
        }
        try {
            return read.get();
        } finally {
            permits.release();
        }
    }
}
