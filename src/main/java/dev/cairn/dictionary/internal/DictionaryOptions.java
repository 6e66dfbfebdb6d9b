package dev.cairn.dictionary.internal;

import java.time.Duration;

/**
 * Tuning of a {@link LocalDictionary}.
 *
 * @param sweepInterval   how often the background sweeper looks for expired keys; null or
 *                        zero disables the sweeper (expired keys are then removed only on
 *                        access or by {@link LocalDictionary#sweepExpired()})
 * @param sweepBatch      the most keys one sweep removes while holding the command lock (the
 *                        bound on its pause); a sweep that hits it runs again at once after
 *                        releasing the lock
 * @param sink            where committed writes go ({@link WriteSink#NONE} in memory)
 */
public record DictionaryOptions(Duration sweepInterval, int sweepBatch, WriteSink sink) {

    /** A sweep every 100 ms of at most 200 keys, no sink. */
    public static final DictionaryOptions DEFAULT =
            new DictionaryOptions(Duration.ofMillis(100), 200, WriteSink.NONE);

    public DictionaryOptions {
        if (sweepBatch < 1) {
            throw new IllegalArgumentException("sweepBatch must be at least 1, got " + sweepBatch);
        }
        if (sweepInterval != null && sweepInterval.isNegative()) {
            throw new IllegalArgumentException("sweepInterval must not be negative, got " + sweepInterval);
        }
        if (sink == null) {
            throw new IllegalArgumentException("sink must not be null");
        }
    }

    /** These options without the background sweeper. */
    public DictionaryOptions withoutSweeper() {
        return new DictionaryOptions(null, sweepBatch, sink);
    }

    /** These options with another sink. */
    public DictionaryOptions withSink(WriteSink newSink) {
        return new DictionaryOptions(sweepInterval, sweepBatch, newSink);
    }
}
