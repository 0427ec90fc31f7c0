package dev.tally.persistence;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Reads kept until a write that could change them. SQLite only: there this process is the only writer, so it
 * sees every write and can drop what the write made stale (with PostgreSQL another server may write, and
 * nothing would tell this one: {@link #none()} keeps nothing). A dashboard reading the same key's usage, or
 * a device its identity's, again and again then costs no SQLite read, which was a third to a half of such a call.
 *
 * <p>Each kept value has an owner, the thing whose writes change it (an API key on a plan, an identity, a
 * pool). Every owner maps to one of a few thousand stripes, each with a version that a write increments
 * after it committed; a value is served only while its stripe still has the version it was read under. A
 * read that races a write can only keep its value under the version before the write's increment, which no
 * later read accepts: a write acknowledged to its caller is seen by every read that starts after.
 */
final class LocalReads {

    private static final int STRIPES = 4096;
    /** Beyond this many values the cache starts over, so it stays small whatever the callers ask for. */
    private static final int MAX_VALUES = 16_384;

    private record Kept(long version, Object value) {
    }

    private final boolean keeps;
    private final AtomicLongArray versions = new AtomicLongArray(STRIPES);
    private final ConcurrentHashMap<Object, Kept> values = new ConcurrentHashMap<>();

    private LocalReads(boolean keeps) {
        this.keeps = keeps;
    }

    /** Values kept between reads: for a store only this process writes. */
    static LocalReads keeping() {
        return new LocalReads(true);
    }

    /** Nothing kept: every read goes to the store, for a store other servers write too. */
    static LocalReads none() {
        return new LocalReads(false);
    }

    /**
     * The value under {@code key} (a record naming the read, compared by value), read through {@code read}
     * unless kept; {@code owner} names what writes change it. The value must be immutable.
     */
    <V> V read(String owner, Object key, Supplier<V> read) {
        return read(owner, key, value -> true, read);
    }

    /** As {@link #read(String, Object, Supplier)}, for a value that also goes stale by itself: kept only while {@code fresh}. */
    @SuppressWarnings("unchecked")
    <V> V read(String owner, Object key, Predicate<V> fresh, Supplier<V> read) {
        if (!keeps) {
            return read.get();
        }
        // The version first, then the value: a value read under a version a write has since passed is never served.
        long version = versions.get(stripe(owner));
        Kept kept = values.get(key);
        if (kept != null && kept.version() == version && fresh.test((V) kept.value())) {
            return (V) kept.value();
        }
        V value = read.get();
        if (values.size() >= MAX_VALUES) {
            values.clear();
        }
        values.put(key, new Kept(version, value));
        return value;
    }

    /** Runs {@code write}, which changes what {@code owner} owns; afterwards, committed or not, its kept values are stale. */
    <T> T changing(String owner, Supplier<T> write) {
        try {
            return write.get();
        } finally {
            if (keeps) {
                versions.incrementAndGet(stripe(owner));
            }
        }
    }

    /** Runs {@code write}, which may change anything (a plan's keys, a pool's identities); afterwards every kept value is stale. */
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

    private static int stripe(String owner) {
        return Math.floorMod(owner.hashCode(), STRIPES);
    }
}
