package dev.tally.domain.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class IntervalCounterTest {

    @Test
    void theFirstEventIsReportedAtOnce_andTheRestOfTheIntervalOnlyCounted() {
        IntervalCounter counter = new IntervalCounter(Duration.ofHours(1));

        assertThat(counter.countAndReport()).isEqualTo(1);
        for (int i = 0; i < 99; i++) {
            assertThat(counter.countAndReport()).isZero();
        }
    }

    @Test
    void whenTheIntervalHasPassed_theReportCountsEveryEventSinceTheLast() throws InterruptedException {
        IntervalCounter counter = new IntervalCounter(Duration.ofMillis(1));
        assertThat(counter.countAndReport()).isEqualTo(1);
        Thread.sleep(5);
        assertThat(counter.countAndReport()).isEqualTo(1);
        IntervalCounter slow = new IntervalCounter(Duration.ofMillis(200));
        slow.countAndReport();
        slow.countAndReport();
        slow.countAndReport();
        Thread.sleep(250);
        assertThat(slow.countAndReport()).as("the two held back, and this one").isEqualTo(3);
    }
}
