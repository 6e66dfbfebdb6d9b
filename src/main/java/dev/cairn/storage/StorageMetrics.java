package dev.cairn.storage;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of what the storage layer did that an operator may want to see: fsyncs, failed
 * fsyncs, how long fsyncs take, and what recovery truncated. One per {@link Storage}; thread-safe.
 */
public final class StorageMetrics {
    final LongAdder fsyncs = new LongAdder();
    final LongAdder fsyncFailures = new LongAdder();
    final LongAdder tornTailsTruncated = new LongAdder();
    final LongAdder corruptionsTruncated = new LongAdder();
    final LongAdder bytesTruncated = new LongAdder();
    /** How long each fsync took, successful or not. */
    final LatencyHistogram fsyncLatency = new LatencyHistogram();

    public long fsyncs() {
        return fsyncs.sum();
    }

    public long fsyncFailures() {
        return fsyncFailures.sum();
    }

    /** Torn or corrupt final entries that recovery dropped. */
    public long tornTailsTruncated() {
        return tornTailsTruncated.sum();
    }

    /** Corruption before the tail that recovery truncated because the owner asked it to. */
    public long corruptionsTruncated() {
        return corruptionsTruncated.sum();
    }

    /** Bytes recovery removed, all causes. */
    public long bytesTruncated() {
        return bytesTruncated.sum();
    }

    /** The latencies of the fsyncs made so far (failed ones included), in nanoseconds. */
    public dev.cairn.common.HistogramSnapshot fsyncLatency() {
        return fsyncLatency.snapshot();
    }

    /** Records one recovery truncation. */
    public void recordTruncation(boolean tornTail, long bytes) {
        if (tornTail) {
            tornTailsTruncated.increment();
        } else {
            corruptionsTruncated.increment();
        }
        bytesTruncated.add(bytes);
    }

    @Override
    public String toString() {
        return "fsyncs=" + fsyncs() + " fsyncFailures=" + fsyncFailures() + " tornTailsTruncated="
                + tornTailsTruncated() + " corruptionsTruncated=" + corruptionsTruncated() + " bytesTruncated="
                + bytesTruncated();
    }
}
