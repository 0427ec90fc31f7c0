package dev.tally.domain.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.domain.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ExpiringCacheTest {

    private final TestClock clock = new TestClock(Instant.parse("2026-07-15T10:00:00Z"));
    private final AtomicInteger loads = new AtomicInteger();
    private final ExpiringCache<String, String> cache = new ExpiringCache<>(clock, Duration.ofSeconds(2), 3);

    private Optional<String> load(String key) {
        loads.incrementAndGet();
        return key.startsWith("missing") ? Optional.empty() : Optional.of(key.toUpperCase());
    }

    @Test
    void valuesAndAbsences_areServedFromTheCacheUntilTheyExpire() {
        assertThat(cache.get("plan", this::load)).contains("PLAN");
        assertThat(cache.get("plan", this::load)).contains("PLAN");
        assertThat(cache.get("missing", this::load)).isEmpty();
        assertThat(cache.get("missing", this::load)).isEmpty();
        assertThat(loads).hasValue(2);

        clock.advance(Duration.ofSeconds(2));
        cache.get("plan", this::load);
        assertThat(loads).hasValue(3);
    }

    @Test
    void invalidation_takesEffectAtOnce_andTheCacheStaysBounded() {
        cache.get("a", this::load);
        cache.invalidate("a");
        cache.get("a", this::load);
        cache.invalidateIf(key -> key.equals("a"));
        cache.get("a", this::load);
        assertThat(loads).hasValue(3);

        for (String key : new String[] {"b", "c", "d", "e"}) {
            cache.get(key, this::load);
        }
        cache.get("a", this::load);
        assertThat(loads).as("the full cache was cleared rather than grown").hasValue(8);
    }

    /** A load that began before a change and ended after its invalidation holds the old value: never serve it. */
    @Test
    void aValueLoadedAcrossAnInvalidation_isLoadedAgain() {
        String[] stored = {"old"};
        Optional<String> raced = cache.get("k", key -> {
            String before = stored[0];
            stored[0] = "new";          // the change commits while the load runs ...
            cache.invalidate("k");      // ... and is invalidated before the load stores what it read
            return Optional.of(before);
        });

        assertThat(raced).contains("old");
        assertThat(cache.get("k", key -> Optional.of(stored[0]))).contains("new");
        assertThat(cache.get("k", key -> Optional.of("never read"))).contains("new");
    }
}
