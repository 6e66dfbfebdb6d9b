package dev.cairn.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HistogramSnapshotTest {
    @Test
    void everyValueFallsInABucketAtMostOneSixteenthWide() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int i = 0; i < 100_000; i++) {
            long value = (random.nextLong() >>> 1) >>> random.nextInt(63);
            int bucket = HistogramSnapshot.bucketOf(value);
            assertThat(bucket).as("seed %d value %d", seed, value).isBetween(0, HistogramSnapshot.BUCKETS - 1);
            long upper = HistogramSnapshot.upperBound(bucket);
            assertThat(upper).as("seed %d value %d", seed, value).isGreaterThanOrEqualTo(value);
            assertThat(upper - value).as("seed %d value %d", seed, value).isLessThanOrEqualTo(value / 16);
            if (bucket > 0) {
                assertThat(HistogramSnapshot.upperBound(bucket - 1)).isLessThan(value);
            }
        }
        assertThat(HistogramSnapshot.bucketOf(Long.MAX_VALUE)).isEqualTo(HistogramSnapshot.BUCKETS - 1);
        assertThat(HistogramSnapshot.upperBound(HistogramSnapshot.BUCKETS - 1)).isEqualTo(Long.MAX_VALUE);
        assertThat(HistogramSnapshot.bucketOf(-5)).isZero();
    }

    @Test
    void percentilesOfOneToTenThousand() {
        long[] counts = new long[HistogramSnapshot.BUCKETS];
        long sum = 0;
        for (long v = 1; v <= 10_000; v++) {
            counts[HistogramSnapshot.bucketOf(v)]++;
            sum += v;
        }
        HistogramSnapshot h = new HistogramSnapshot(counts, sum, 10_000);
        assertThat(h.count()).isEqualTo(10_000);
        assertThat(h.meanNanos()).isEqualTo(5000.5);
        assertThat(h.p50Nanos()).isBetween(5000L, 5000L + 5000 / 16);
        assertThat(h.p99Nanos()).isBetween(9900L, 10_000L);
        assertThat(h.p999Nanos()).isBetween(9990L, 10_000L);
        assertThat(h.valueAtPercentile(100)).isEqualTo(10_000);
        assertThat(h.valueAtPercentile(0)).isEqualTo(1);
    }

    @Test
    void anEmptyHistogramAnswersZero() {
        assertThat(HistogramSnapshot.EMPTY.count()).isZero();
        assertThat(HistogramSnapshot.EMPTY.p99Nanos()).isZero();
        assertThat(HistogramSnapshot.EMPTY.meanNanos()).isZero();
    }

    @Test
    void badInputIsRefused() {
        assertThatThrownBy(() -> new HistogramSnapshot(new long[3], 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 3");
        assertThatThrownBy(() -> HistogramSnapshot.EMPTY.valueAtPercentile(100.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("100.5");
        long[] negative = new long[HistogramSnapshot.BUCKETS];
        negative[4] = -1;
        assertThatThrownBy(() -> new HistogramSnapshot(negative, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
