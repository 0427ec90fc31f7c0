package dev.tally.domain.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.domain.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PolledVersionTest {

    private final TestClock clock = new TestClock(Instant.parse("2026-07-15T10:00:00Z"));
    private final AtomicLong stored = new AtomicLong(7);
    private final AtomicInteger reads = new AtomicInteger();
    private final PolledVersion version = new PolledVersion(() -> {
        reads.incrementAndGet();
        return stored.get();
    }, clock, Duration.ofMillis(250));

    @Test
    void readsTheStoreOncePerInterval_andServesTheLastReadInBetween() {
        assertThat(version.getAsLong()).isEqualTo(7);
        stored.set(8);
        clock.advance(Duration.ofMillis(249));
        assertThat(version.getAsLong()).isEqualTo(7);
        assertThat(reads).hasValue(1);

        clock.advance(Duration.ofMillis(1));
        assertThat(version.getAsLong()).isEqualTo(8);
        assertThat(version.getAsLong()).isEqualTo(8);
        assertThat(reads).hasValue(2);
    }

    @Test
    void cachedValues_areReadAgainOnceTheVersionMoves_whileAbsencesKeepTheirOwnShorterLife() {
        AtomicInteger loads = new AtomicInteger();
        ExpiringCache<String, String> cache = new ExpiringCache<>(clock, Duration.ofMinutes(10), Duration.ofSeconds(5), 100, version);
        Function<String, Optional<String>> load = key -> {
            loads.incrementAndGet();
            return key.startsWith("missing") ? Optional.empty() : Optional.of(key + "@" + stored.get());
        };

        assertThat(cache.get("key", load)).contains("key@7");
        assertThat(cache.get("missing", load)).isEmpty();
        clock.advance(Duration.ofSeconds(4));
        assertThat(cache.get("key", load)).contains("key@7");
        assertThat(cache.get("missing", load)).isEmpty();
        assertThat(loads).hasValue(2);

        clock.advance(Duration.ofSeconds(1));
        cache.get("missing", load);
        assertThat(cache.get("key", load)).as("a value outlives an absence").contains("key@7");
        assertThat(loads).hasValue(3);

        stored.set(8);
        clock.advance(Duration.ofMillis(250));
        assertThat(cache.get("key", load)).contains("key@8");
        assertThat(loads).hasValue(4);
    }
}
