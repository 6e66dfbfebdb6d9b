package dev.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.common.HistogramSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    @Test
    void recordsCountSumAndMax() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(100);
        histogram.record(3_000_000);
        histogram.record(-7); // a clock that stepped back counts as 0
        HistogramSnapshot s = histogram.snapshot();
        assertThat(s.count()).isEqualTo(3);
        assertThat(s.sumNanos()).isEqualTo(3_000_100);
        assertThat(s.maxNanos()).isEqualTo(3_000_000);
        assertThat(s.valueAtPercentile(100)).isEqualTo(3_000_000);
    }

    @Test
    void concurrentRecordersLoseNoValue() throws InterruptedException {
        LatencyHistogram histogram = new LatencyHistogram();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            long base = t * 1000L;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 1; i <= 10_000; i++) {
                    histogram.record(base + i);
                }
            });
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        HistogramSnapshot s = histogram.snapshot();
        assertThat(s.count()).isEqualTo(40_000);
        assertThat(s.maxNanos()).isEqualTo(13_000);
    }
}
