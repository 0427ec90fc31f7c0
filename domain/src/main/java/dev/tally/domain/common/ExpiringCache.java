package dev.tally.domain.common;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A small read-through cache for metadata that rarely changes (plans, keys, licenses). Writes made through
 * this server invalidate at once; changes made by another server sharing the database are seen within
 * {@code ttl}. Absent values are cached too, so a flood of unknown ids does not reach the store each time.
 */
public final class ExpiringCache<K, V> {

    private record Entry<V>(Optional<V> value, Instant expires) {
    }

    private final Clock clock;
    private final Duration ttl;
    private final int maxEntries;
    private final ConcurrentMap<K, Entry<V>> entries = new ConcurrentHashMap<>();

    public ExpiringCache(Clock clock, Duration ttl, int maxEntries) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.maxEntries = maxEntries;
    }

    /** The cached value of {@code key}, loading it when absent or expired. */
    public Optional<V> get(K key, Function<K, Optional<V>> loader) {
        Instant now = clock.instant();
        Entry<V> entry = entries.get(key);
        if (entry != null && now.isBefore(entry.expires())) {
            return entry.value();
        }
        Optional<V> value = loader.apply(key);
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        entries.put(key, new Entry<>(value, now.plus(ttl)));
        return value;
    }

    public void invalidate(K key) {
        entries.remove(key);
    }

    public void invalidateIf(Predicate<K> keys) {
        entries.keySet().removeIf(keys);
    }
}
