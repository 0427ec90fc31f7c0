package dev.tally.domain.common;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * A small read-through cache for metadata that rarely changes (plans, keys, licenses). Writes made through
 * this server invalidate at once. Changes made by another server sharing the database are seen when a
 * value expires, or sooner where the store keeps a version of its metadata ({@link PolledVersion}): every
 * value read before that version moved is read again. Absent values are cached too, so a flood of unknown
 * ids does not reach the store each time.
 *
 * <p>A value loaded while this server changed the store (a load that started before an invalidation and
 * ended after it) is never served: each invalidation also moves a local generation, and a value counts
 * only under the generation it was loaded in. So a change acknowledged to its caller is seen by every
 * later read on this server, even one that raced it.
 */
public final class ExpiringCache<K, V> {

    private record Entry<V>(Optional<V> value, long version, long generation, Instant expires) {
    }

    private final Clock clock;
    private final Duration ttl;
    private final Duration absentTtl;
    private final int maxEntries;
    private final LongSupplier version;
    private final ConcurrentMap<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    /** Moved by every invalidation, after the change it follows. */
    private final AtomicLong generation = new AtomicLong();

    /** Values and absences kept {@code ttl}; changes elsewhere are seen when they expire. */
    public ExpiringCache(Clock clock, Duration ttl, int maxEntries) {
        this(clock, ttl, ttl, maxEntries, () -> 0);
    }

    /**
     * Values kept {@code ttl} and absences {@code absentTtl}, each only while {@code version} stays what it
     * was before the value was loaded.
     */
    public ExpiringCache(Clock clock, Duration ttl, Duration absentTtl, int maxEntries, LongSupplier version) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.absentTtl = Objects.requireNonNull(absentTtl, "absentTtl");
        this.maxEntries = maxEntries;
        this.version = Objects.requireNonNull(version, "version");
    }

    /** The cached value of {@code key}, loading it when absent, expired or older than the version. */
    public Optional<V> get(K key, Function<K, Optional<V>> loader) {
        Instant now = clock.instant();
        long current = version.getAsLong();
        long loadedIn = generation.get();
        Entry<V> entry = entries.get(key);
        if (entry != null && entry.version() == current && entry.generation() == loadedIn && now.isBefore(entry.expires())) {
            hits.increment();
            return entry.value();
        }
        misses.increment();
        // Read after the version: a change committed meanwhile moves the version again, and this goes too.
        Optional<V> value = loader.apply(key);
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        entries.put(key, new Entry<>(value, current, loadedIn, now.plus(value.isPresent() ? ttl : absentTtl)));
        return value;
    }

    /** Lookups answered from the cache so far. */
    public long hits() {
        return hits.sum();
    }

    /** Lookups that went to the loader so far. */
    public long misses() {
        return misses.sum();
    }

    /** After a change to {@code key}'s value committed. */
    public void invalidate(K key) {
        generation.incrementAndGet();
        entries.remove(key);
    }

    /** After a change to the values of the keys {@code keys} accepts committed. */
    public void invalidateIf(Predicate<K> keys) {
        generation.incrementAndGet();
        entries.keySet().removeIf(keys);
    }
}
