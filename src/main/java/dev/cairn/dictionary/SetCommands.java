package dev.cairn.dictionary;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Commands on set values. Every method is one atomic command and throws
 * {@link WrongTypeException} (changing nothing) when a key holds another type. A set left
 * empty is removed. A missing key reads as an empty set.
 *
 * <p>Members are byte arrays compared by content; the dictionary copies them in and hands out
 * copies. Answers listing members are in no particular order unless stated.
 */
public interface SetCommands {

    /** SADD: adds members; returns how many were not yet in the set. */
    long sadd(String key, byte[]... members);

    /** SADD with members as UTF-8 text. */
    default long sadd(String key, String... members) {
        return sadd(key, utf8(members));
    }

    /** SREM: removes members; returns how many were in the set. */
    long srem(String key, byte[]... members);

    /** SREM with members as UTF-8 text. */
    default long srem(String key, String... members) {
        return srem(key, utf8(members));
    }

    /** SISMEMBER with the member as UTF-8 text. */
    default boolean sismember(String key, String member) {
        return sismember(key, member.getBytes(StandardCharsets.UTF_8));
    }

    /** SMEMBERS: every member. */
    List<byte[]> smembers(String key);

    /** SISMEMBER: whether {@code member} is in the set. */
    boolean sismember(String key, byte[] member);

    /** SMISMEMBER: for each member in turn, whether it is in the set. */
    List<Boolean> smismember(String key, byte[]... members);

    /** SCARD: the number of members, 0 for a missing key. */
    long scard(String key);

    /** SPOP key: removes and returns a random member, or null when the set is empty. */
    byte[] spop(String key);

    /**
     * SPOP key count: removes and returns {@code min(count, size)} distinct random members.
     *
     * @throws IllegalArgumentException if {@code count} is negative
     *         ({@code ERR value is out of range, must be positive})
     */
    List<byte[]> spop(String key, long count);

    /** SRANDMEMBER key: a random member, or null when the set is empty. */
    byte[] srandmember(String key);

    /**
     * SRANDMEMBER key count: for a positive count, {@code min(count, size)} distinct random
     * members; for a negative count, exactly {@code -count} members each drawn independently
     * (repeats possible); nothing for 0 or an empty set.
     *
     * @throws IllegalArgumentException when {@code -count} is too large to answer
     *         (at most {@code Integer.MAX_VALUE - 8}; Redis refuses {@code Long.MIN_VALUE})
     */
    List<byte[]> srandmember(String key, long count);

    /**
     * SMOVE: moves {@code member} from {@code source} to {@code destination}.
     *
     * @return whether the member was in {@code source}
     * @throws WrongTypeException if either key holds another type
     */
    boolean smove(String source, String destination, byte[] member);

    /** SINTER: the members in every set; a missing key makes the answer empty. */
    List<byte[]> sinter(String... keys);

    /**
     * SINTERCARD: the size of the intersection, counted no further than {@code limit}.
     *
     * @param limit 0 for no limit
     * @throws IllegalArgumentException if {@code limit} is negative
     *         ({@code ERR LIMIT can't be negative})
     */
    long sintercard(long limit, String... keys);

    /** SUNION: the members in any of the sets. */
    List<byte[]> sunion(String... keys);

    /** SDIFF: the members of the first set that are in none of the others. */
    List<byte[]> sdiff(String... keys);

    /**
     * SINTERSTORE: stores {@link #sinter} in {@code destination}, replacing any value of any
     * type (an empty answer deletes {@code destination}); returns its size.
     */
    long sinterstore(String destination, String... keys);

    /** SUNIONSTORE: as {@link #sinterstore} for {@link #sunion}. */
    long sunionstore(String destination, String... keys);

    /** SDIFFSTORE: as {@link #sinterstore} for {@link #sdiff}. */
    long sdiffstore(String destination, String... keys);

    /** SSCAN key cursor: one step of a scan of the members; start with cursor 0. */
    default ScanPage<byte[]> sscan(String key, long cursor) {
        return sscan(key, cursor, ScanArgs.DEFAULT);
    }

    /**
     * SSCAN key cursor [MATCH pattern] [COUNT count]: one step of a scan of the members. A member
     * present from the first call to the last is returned at least once, even if the set grows
     * or shrinks in between; a member may be returned more than once. The pattern is matched
     * against the member's bytes (the pattern is taken as UTF-8).
     *
     * @throws IllegalArgumentException if {@code args} has a type filter (SCAN only)
     */
    ScanPage<byte[]> sscan(String key, long cursor, ScanArgs args);

    /** Texts as UTF-8 byte arrays, for the text overloads of the set and sorted-set commands. */
    static byte[][] utf8(String... texts) {
        if (texts == null) {
            throw new IllegalArgumentException("at least one member is required");
        }
        byte[][] bytes = new byte[texts.length][];
        for (int i = 0; i < texts.length; i++) {
            bytes[i] = texts[i].getBytes(StandardCharsets.UTF_8);
        }
        return bytes;
    }
}
