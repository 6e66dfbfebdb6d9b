package dev.cairn.common;

/**
 * What the storage layer under one {@code Cairn} has done since it was opened.
 *
 * @param fsyncs fsyncs that succeeded
 * @param fsyncFailures fsyncs that failed (each stops the file it belongs to)
 * @param tornTailsTruncated torn or corrupt final entries that recovery dropped
 * @param corruptionsTruncated corruption before a file's tail that recovery truncated because
 *     truncation on corruption was asked for
 * @param bytesTruncated bytes recovery removed, all causes together
 */
public record StorageStats(long fsyncs, long fsyncFailures, long tornTailsTruncated, long corruptionsTruncated,
        long bytesTruncated) {
}
