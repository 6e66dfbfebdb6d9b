package dev.cairn.common;

import java.util.Arrays;

/**
 * The values a latency histogram held at one moment, in nanoseconds, with the percentiles read
 * from its buckets.
 *
 * <p>The buckets are log-linear (as HdrHistogram's): values below 32 each have a bucket of their
 * own; above, every power of two is split into 16 buckets of equal width, so a bucket's width is
 * at most 1/16 of its lower bound. A percentile is the upper bound of the bucket holding the
 * value at that rank, capped at {@link #maxNanos()}: never below the true value, and at most
 * 6.25% above it.
 *
 * <p>Immutable. {@link #count()} is the sum of the bucket counts, so the percentiles always agree
 * with it; {@link #sumNanos()} and {@link #maxNanos()} are read next to the buckets, not
 * atomically with them, and may include a value recorded while the snapshot was taken.
 */
public final class HistogramSnapshot {
    /** Values below this each have a bucket of their own. */
    static final int LINEAR_BUCKETS = 32;
    /** Buckets per power of two above {@link #LINEAR_BUCKETS}. */
    static final int SUB_BUCKETS = 16;
    private static final int SUB_BITS = 4;
    private static final int FIRST_EXPONENT = 5;
    /** Enough buckets for every non-negative long. */
    public static final int BUCKETS = LINEAR_BUCKETS + (63 - FIRST_EXPONENT) * SUB_BUCKETS;

    /** A histogram that recorded nothing. */
    public static final HistogramSnapshot EMPTY = new HistogramSnapshot(new long[BUCKETS], 0, 0);

    private final long[] counts;
    private final long count;
    private final long sumNanos;
    private final long maxNanos;

    /**
     * @param counts the count of each bucket ({@link #BUCKETS} of them, see {@link #bucketOf}); copied
     * @throws IllegalArgumentException if there are not {@link #BUCKETS} counts or one is negative
     */
    public HistogramSnapshot(long[] counts, long sumNanos, long maxNanos) {
        if (counts.length != BUCKETS) {
            throw new IllegalArgumentException("a histogram has " + BUCKETS + " buckets, got " + counts.length);
        }
        long total = 0;
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("bucket counts must not be negative: " + c);
            }
            total += c;
        }
        this.counts = counts.clone();
        this.count = total;
        this.sumNanos = sumNanos;
        this.maxNanos = maxNanos;
    }

    /** The bucket of {@code valueNanos}; negative values count as 0. */
    public static int bucketOf(long valueNanos) {
        if (valueNanos < LINEAR_BUCKETS) {
            return (int) Math.max(valueNanos, 0);
        }
        int exponent = 63 - Long.numberOfLeadingZeros(valueNanos);
        int sub = (int) (valueNanos >>> (exponent - SUB_BITS)) & (SUB_BUCKETS - 1);
        return LINEAR_BUCKETS + (exponent - FIRST_EXPONENT) * SUB_BUCKETS + sub;
    }

    /** The highest value that falls in {@code bucket}. */
    public static long upperBound(int bucket) {
        if (bucket < LINEAR_BUCKETS) {
            return bucket;
        }
        int k = bucket - LINEAR_BUCKETS;
        int exponent = k / SUB_BUCKETS + FIRST_EXPONENT;
        long width = 1L << (exponent - SUB_BITS);
        long lower = (1L << exponent) + (k % SUB_BUCKETS) * width;
        return lower + (width - 1);
    }

    /** Values recorded. */
    public long count() {
        return count;
    }

    /** The sum of the values recorded, in nanoseconds. */
    public long sumNanos() {
        return sumNanos;
    }

    /** The largest value recorded, in nanoseconds; 0 if none. */
    public long maxNanos() {
        return maxNanos;
    }

    /** The mean in nanoseconds; 0 if nothing was recorded. */
    public double meanNanos() {
        return count == 0 ? 0 : (double) sumNanos / count;
    }

    /**
     * The value at {@code percentile} (0 to 100) in nanoseconds: the smallest bucket bound that
     * at least that share of the values is at or below, capped at the maximum; 0 if empty.
     *
     * @throws IllegalArgumentException if {@code percentile} is outside [0, 100]
     */
    public long valueAtPercentile(double percentile) {
        if (!(percentile >= 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in [0, 100], got " + percentile);
        }
        if (count == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percentile / 100 * count));
        long seen = 0;
        for (int b = 0; b < BUCKETS; b++) {
            seen += counts[b];
            if (seen >= rank) {
                return Math.min(upperBound(b), maxNanos);
            }
        }
        return maxNanos;
    }

    public long p50Nanos() {
        return valueAtPercentile(50);
    }

    public long p99Nanos() {
        return valueAtPercentile(99);
    }

    public long p999Nanos() {
        return valueAtPercentile(99.9);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HistogramSnapshot h && h.sumNanos == sumNanos && h.maxNanos == maxNanos
                && Arrays.equals(h.counts, counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts) * 31 + Long.hashCode(sumNanos);
    }

    @Override
    public String toString() {
        return "count=" + count + " sumNanos=" + sumNanos + " maxNanos=" + maxNanos + " p50=" + p50Nanos()
                + " p99=" + p99Nanos() + " p999=" + p999Nanos();
    }
}
