package dev.tally.domain.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void burst_isAllowedAtOnce_thenTheBucketRefusesAndSaysWhenToRetry() {
        TokenBucket bucket = new TokenBucket(3, 2, 0);

        for (int i = 0; i < 3; i++) {
            assertThat(bucket.tryTake(1, 0)).isZero();
        }
        assertThat(bucket.tryTake(1, 0)).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void bucket_refillsAtItsRate_upToItsCapacity() {
        TokenBucket bucket = new TokenBucket(2, 1, 0);
        bucket.tryTake(2, 0);

        assertThat(bucket.tryTake(1, SECOND / 2)).isPositive();
        assertThat(bucket.tryTake(1, SECOND)).isZero();
        assertThat(bucket.tryTake(2, 100 * SECOND)).isZero();
        assertThat(bucket.tryTake(1, 100 * SECOND)).isPositive();
    }

    @Test
    void refusedTake_consumesNothing() {
        TokenBucket bucket = new TokenBucket(1, 0, 0);

        assertThat(bucket.tryTake(2, 0)).isPositive();
        assertThat(bucket.tryTake(1, 0)).isZero();
        assertThat(bucket.tryTake(1, 10 * SECOND)).isPositive();
    }

    @Test
    void anAbsurdlySlowRefill_reportsADay_notAnOverflowedWait() {
        TokenBucket bucket = new TokenBucket(1, 5e-324, 0);
        assertThat(bucket.tryTake(1, 0)).isEqualTo(Duration.ZERO);
        assertThat(bucket.tryTake(1, 0)).isEqualTo(Duration.ofDays(1));
        TokenBucket slow = new TokenBucket(1, 1e-9, 0);
        slow.tryTake(1, 0);
        assertThat(slow.tryTake(1, 0)).isEqualTo(Duration.ofDays(1));
    }
}
