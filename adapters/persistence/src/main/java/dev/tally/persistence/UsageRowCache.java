package dev.tally.persistence;

import dev.tally.domain.quota.UsageDay;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;

/**
 * One key's usage rows as GetUsage last read them, kept until a write to that key's counters. SQLite only:
 * there this process is the only writer, so it sees every write and can drop what the write made stale
 * (with PostgreSQL another server may write, and nothing would tell this one: {@link #none()} keeps nothing).
 * A dashboard reading the same keys again and again then costs no SQLite read, which was a third of such a call.
 *
 * <p>Every (plan, key) maps to one of a few thousand stripes, each with a version that a write increments
 * after it committed; a row list is served only while its stripe still has the version it was read under.
 * A read that races a write can only store rows under the version before the write's increment, which no
 * later read accepts: a write acknowledged to its caller is seen by every read that starts after.
 */
final class UsageRowCache {

    private static final int STRIPES = 4096;
    /** Beyond this many ranges the cache starts over, so it stays small whatever the callers ask for. */
    private static final int MAX_RANGES = 16_384;

    private record Range(String plan, String key, int from, int to) {
    }

    private record Rows(long version, List<UsageDay> days) {
    }

    private final boolean keeps;
    private final AtomicLongArray versions = new AtomicLongArray(STRIPES);
    private final ConcurrentHashMap<Range, Rows> ranges = new ConcurrentHashMap<>();

    private UsageRowCache(boolean keeps) {
        this.keeps = keeps;
    }

    /** Rows kept between reads: for a store only this process writes. */
    static UsageRowCache keeping() {
        return new UsageRowCache(true);
    }

    /** Nothing kept: every read goes to the store, for a store other servers write too. */
    static UsageRowCache none() {
        return new UsageRowCache(false);
    }

    /** The rows of {@code key} on {@code plan} from day {@code from} to {@code to}, read through {@code read} unless kept. */
    List<UsageDay> days(String plan, String key, int from, int to, Supplier<List<UsageDay>> read) {
        if (!keeps) {
            return read.get();
        }
        Range range = new Range(plan, key, from, to);
        // The version first, then the rows: rows read under a version a write has since passed are never served.
        long version = versions.get(stripe(plan, key));
        Rows kept = ranges.get(range);
        if (kept != null && kept.version() == version) {
            return kept.days();
        }
        List<UsageDay> days = List.copyOf(read.get());
        if (ranges.size() >= MAX_RANGES) {
            ranges.clear();
        }
        ranges.put(range, new Rows(version, days));
        return days;
    }

    /** Runs {@code write} to {@code key}'s counters on {@code plan}; afterwards, committed or not, its kept rows are stale. */
    <T> T changing(String plan, String key, Supplier<T> write) {
        try {
            return write.get();
        } finally {
            if (keeps) {
                versions.incrementAndGet(stripe(plan, key));
            }
        }
    }

    /** Runs {@code write}, which may delete any key's counters (a key, a plan); afterwards every kept row is stale. */
    <T> T changingAll(Supplier<T> write) {
        try {
            return write.get();
        } finally {
            if (keeps) {
                for (int stripe = 0; stripe < STRIPES; stripe++) {
                    versions.incrementAndGet(stripe);
                }
            }
        }
    }

    private static int stripe(String plan, String key) {
        return Math.floorMod(31 * plan.hashCode() + key.hashCode(), STRIPES);
    }
}
