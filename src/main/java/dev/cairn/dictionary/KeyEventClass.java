package dev.cairn.dictionary;

/**
 * The class of a {@link KeyEventListener key event}, as Redis groups keyspace notifications.
 * Each class has the flag letter Redis's {@code notify-keyspace-events} setting uses for it, so a
 * consumer can filter events the way a Redis configuration does.
 *
 * <p>Redis's classes for evicted keys ({@code e}), streams ({@code t}), modules ({@code d}) and
 * key misses ({@code m}) have no events in Cairn: it evicts nothing, has no streams or modules,
 * and does not report reads.
 */
public enum KeyEventClass {
    /** Commands on keys of any type: {@code del}, {@code expire}, {@code rename_from}, ... ({@code g}). */
    GENERIC('g'),
    /** String commands: {@code set}, {@code incrby}, {@code append}, ... ({@code $}). */
    STRING('$'),
    /** List commands: {@code lpush}, {@code rpop}, {@code ltrim}, ... ({@code l}). */
    LIST('l'),
    /** Set commands: {@code sadd}, {@code srem}, {@code spop}, ... ({@code s}). */
    SET('s'),
    /** Hash commands: {@code hset}, {@code hdel}, {@code hincrby}, ... ({@code h}). */
    HASH('h'),
    /** Sorted-set commands: {@code zadd}, {@code zincr}, {@code zrem}, ... ({@code z}). */
    SORTED_SET('z'),
    /** A key removed because its deadline passed: {@code expired} ({@code x}). */
    EXPIRED('x'),
    /** A key added to the keyspace, before the event of the command that added it: {@code new} ({@code n}). */
    NEW('n');

    private final char flag;

    KeyEventClass(char flag) {
        this.flag = flag;
    }

    /** The letter Redis's {@code notify-keyspace-events} uses for this class. */
    public char flag() {
        return flag;
    }
}
