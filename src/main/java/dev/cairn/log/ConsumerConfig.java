package dev.cairn.log;

/**
 * How a consumer behaves: Kafka's consumer configs that apply to an embedded log.
 *
 * @param groupId the consumer group, or null for a consumer that only {@code assign}s and cannot commit
 * @param autoOffsetReset where to start in a partition without a committed offset
 * @param maxPollRecords most records one {@code poll} returns
 * @param sessionTimeoutMs a group member that has not polled for this long (log clock) is removed
 *     from the group and its partitions reassigned; -1 for membership until close
 * @param checkCrcs whether each batch read is checked against its stored CRC32C (Kafka's
 *     {@code check.crcs}, default true); off, a poll skips that work, and a corrupt batch is
 *     reported only if its record lengths do not add up
 */
public record ConsumerConfig(String groupId, AutoOffsetReset autoOffsetReset, int maxPollRecords,
        long sessionTimeoutMs, boolean checkCrcs) {
    public ConsumerConfig {
        if (autoOffsetReset == null) {
            throw new IllegalArgumentException("autoOffsetReset must not be null");
        }
        if (maxPollRecords < 1) {
            throw new IllegalArgumentException("maxPollRecords must be >= 1, was " + maxPollRecords);
        }
        if (sessionTimeoutMs < -1 || sessionTimeoutMs == 0) {
            throw new IllegalArgumentException("sessionTimeoutMs must be -1 or > 0, was " + sessionTimeoutMs);
        }
        if (groupId != null && groupId.isEmpty()) {
            throw new IllegalArgumentException("groupId must not be empty");
        }
    }

    /** A member of {@code groupId} starting at the earliest offset, 500 records a poll, member until close. */
    public static ConsumerConfig group(String groupId) {
        return new ConsumerConfig(groupId, AutoOffsetReset.EARLIEST, 500, -1, true);
    }

    /** A consumer without a group (assign only), starting at the earliest offset. */
    public static ConsumerConfig standalone() {
        return new ConsumerConfig(null, AutoOffsetReset.EARLIEST, 500, -1, true);
    }

    public ConsumerConfig withAutoOffsetReset(AutoOffsetReset reset) {
        return new ConsumerConfig(groupId, reset, maxPollRecords, sessionTimeoutMs, checkCrcs);
    }

    public ConsumerConfig withMaxPollRecords(int count) {
        return new ConsumerConfig(groupId, autoOffsetReset, count, sessionTimeoutMs, checkCrcs);
    }

    public ConsumerConfig withSessionTimeoutMs(long ms) {
        return new ConsumerConfig(groupId, autoOffsetReset, maxPollRecords, ms, checkCrcs);
    }

    public ConsumerConfig withCheckCrcs(boolean check) {
        return new ConsumerConfig(groupId, autoOffsetReset, maxPollRecords, sessionTimeoutMs, check);
    }
}
