package dev.cairn.storage;

import dev.cairn.common.HistogramSnapshot;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Records latencies into the fixed log-linear buckets of {@link HistogramSnapshot}: one atomic
 * increment of a bucket, one add to the sum and, when the value is a new maximum, one
 * compare-and-set. Nothing is allocated and nothing is locked per value, so the fsync path pays
 * a few atomic instructions next to a syscall of tens of microseconds or more.
 *
 * <p>Thread-safe; {@link #snapshot()} may run while values are recorded (see the snapshot's
 * notes on what it may then include).
 */
public final class LatencyHistogram {
    private final AtomicLongArray counts = new AtomicLongArray(HistogramSnapshot.BUCKETS);
    private final LongAdder sumNanos = new LongAdder();
    private final AtomicLong maxNanos = new AtomicLong();

    /** Records one value; a negative one (a clock that went backwards) counts as 0. */
    public void record(long nanos) {
        long value = Math.max(nanos, 0);
        counts.incrementAndGet(HistogramSnapshot.bucketOf(value));
        sumNanos.add(value);
        long max = maxNanos.get();
        while (value > max && !maxNanos.compareAndSet(max, value)) {
            max = maxNanos.get();
        }
    }

    /** The values recorded so far. */
    public HistogramSnapshot snapshot() {
        long[] copy = new long[HistogramSnapshot.BUCKETS];
        for (int b = 0; b < copy.length; b++) {
            copy[b] = counts.get(b);
        }
        return new HistogramSnapshot(copy, sumNanos.sum(), maxNanos.get());
    }
}
