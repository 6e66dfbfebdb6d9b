package dev.cairn.log.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Chooses a partition for a record without one: {@code toPositive(murmur2(key)) % partitions} for
 * keyed records, exactly as Kafka's default partitioner (so a key lands on the same partition
 * number as in Kafka), round-robin for unkeyed ones. The round-robin counter is this instance's:
 * the log keeps one partitioner per topic (as Kafka's {@code RoundRobinPartitioner} keeps a
 * counter per topic), so unkeyed appends to one topic spread evenly however they interleave with
 * appends to others.
 *
 * <p>Thread-safe.
 */
public final class Partitioner {
    private final AtomicInteger roundRobin = new AtomicInteger();

    /** The partition for {@code key} (null: the next one round-robin) among {@code partitions}. */
    public int partition(byte[] key, int partitions) {
        if (key == null) {
            return toPositive(roundRobin.getAndIncrement()) % partitions;
        }
        return toPositive(murmur2(key)) % partitions;
    }

    static int toPositive(int number) {
        return number & 0x7fffffff;
    }

    /**
     * MurmurHash2, 32-bit, with the seed Kafka's partitioner uses (0x9747b28c). Algorithm by
     * Austin Appleby (public domain); Kafka reads the body four bytes at a time, little-endian,
     * and so does this.
     */
    static int murmur2(byte[] data) {
        final int m = 0x5bd1e995;
        final int r = 24;
        int length = data.length;
        int h = 0x9747b28c ^ length;
        int blocks = length / 4;
        for (int i = 0; i < blocks; i++) {
            int at = i * 4;
            int k = (data[at] & 0xff) | (data[at + 1] & 0xff) << 8 | (data[at + 2] & 0xff) << 16
                    | (data[at + 3] & 0xff) << 24;
            k *= m;
            k ^= k >>> r;
            k *= m;
            h *= m;
            h ^= k;
        }
        int tail = length & ~3;
        int rest = length % 4;
        if (rest == 3) {
            h ^= (data[tail + 2] & 0xff) << 16;
        }
        if (rest >= 2) {
            h ^= (data[tail + 1] & 0xff) << 8;
        }
        if (rest >= 1) {
            h ^= data[tail] & 0xff;
            h *= m;
        }
        h ^= h >>> 13;
        h *= m;
        h ^= h >>> 15;
        return h;
    }
}
