package dev.cairn.log.internal;

import dev.cairn.log.TopicConfig;

/** Placeholder replaced below. */
final class LogCleaner {
    private LogCleaner() {
    }

    static int compact(PartitionLog partition, TopicConfig config, long nowMs) {
        return 0;
    }
}
