package dev.cairn.dictionary;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Commands on sorted-set values. Every method is one atomic command and throws
 * {@link WrongTypeException} (changing nothing) when a key holds another type. A sorted set
 * left empty is removed. A missing key reads as an empty sorted set.
 *
 * <p>Members are byte arrays compared by content, ordered by score and then by their bytes
 * (unsigned); the dictionary copies them in and hands out copies. Scores are doubles, never
 * NaN: a NaN argument is refused with {@link IllegalArgumentException}, and an increment that
 * would produce NaN (inf + -inf) with {@link NotAFloatException}. A score of -0.0 is stored as
 * 0.0. Ranks are 0-based; rank arguments count from the end when negative.
 */
public interface SortedSetCommands {

    /** ZADD key score member: returns 1 if the member was added, 0 if its score was updated. */
    default long zadd(String key, double score, byte[] member) {
        return zadd(key, ZAddArgs.DEFAULT, new ScoredMember(member, score));
    }

    /** ZADD key score member, with the member as UTF-8 text. */
    default long zadd(String key, double score, String member) {
        return zadd(key, score, member.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * ZADD key [NX|XX] [GT|LT] [CH] score member ...: adds members or updates their scores as
     * {@code args} allows. A member given twice takes its last score.
     *
     * @return how many members were added, plus how many changed score with {@code CH}
     */
    long zadd(String key, ZAddArgs args, ScoredMember... members);

    /**
     * ZADD key [NX|XX] [GT|LT] INCR increment member: adds {@code increment} to the member's
     * score (a missing member starts at 0) as {@code args} allows.
     *
     * @return the new score, or null if {@code args} prevented the change
     * @throws NotAFloatException if the result would be NaN ({@code ERR resulting score is not a number (NaN)})
     */
    Double zaddIncr(String key, ZAddArgs args, double increment, byte[] member);

    /**
     * ZINCRBY: adds {@code increment} to the member's score (a missing member starts at 0).
     *
     * @return the new score
     * @throws NotAFloatException if the result would be NaN
     */
    double zincrby(String key, double increment, byte[] member);

    /** ZREM: removes members; returns how many were in the set. */
    long zrem(String key, byte[]... members);

    /** ZREM with members as UTF-8 text. */
    default long zrem(String key, String... members) {
        return zrem(key, SetCommands.utf8(members));
    }

    /** ZSCORE: the member's score, or null. */
    Double zscore(String key, byte[] member);

    /** ZSCORE with the member as UTF-8 text. */
    default Double zscore(String key, String member) {
        return zscore(key, member.getBytes(StandardCharsets.UTF_8));
    }

    /** ZMSCORE: for each member in turn, its score or null. */
    List<Double> zmscore(String key, byte[]... members);

    /** ZCARD: the number of members, 0 for a missing key. */
    long zcard(String key);

    /** ZCOUNT: the number of members whose score is in {@code range}. */
    long zcount(String key, ScoreRange range);

    /** ZLEXCOUNT: the number of members in {@code range} (for members of equal score). */
    long zlexcount(String key, LexRange range);

    /** ZRANGE ... WITHSCORES: the entries {@code range} selects, in its order. */
    List<ScoredMember> zrange(String key, ZRange range);

    /**
     * ZRANGESTORE: stores the entries {@code range} selects from {@code source} in
     * {@code destination}, replacing any value of any type (nothing selected deletes it).
     *
     * @return how many entries were stored
     */
    long zrangestore(String destination, String source, ZRange range);

    /** ZRANK: the member's rank from the lowest score, or null. */
    Long zrank(String key, byte[] member);

    /** ZREVRANK: the member's rank from the highest score, or null. */
    Long zrevrank(String key, byte[] member);

    /** ZREMRANGEBYRANK: removes ranks {@code start} to {@code stop}, inclusive; returns how many. */
    long zremrangebyrank(String key, long start, long stop);

    /** ZREMRANGEBYSCORE: removes the members whose score is in {@code range}; returns how many. */
    long zremrangebyscore(String key, ScoreRange range);

    /** ZREMRANGEBYLEX: removes the members in {@code range}; returns how many. */
    long zremrangebylex(String key, LexRange range);

    /** ZPOPMIN key: removes and returns the lowest entry, or null. */
    ScoredMember zpopmin(String key);

    /**
     * ZPOPMIN key count: removes and returns up to {@code count} lowest entries, lowest first.
     *
     * @throws IllegalArgumentException if {@code count} is negative
     */
    List<ScoredMember> zpopmin(String key, long count);

    /** ZPOPMAX key: removes and returns the highest entry, or null. */
    ScoredMember zpopmax(String key);

    /** ZPOPMAX key count: as {@link #zpopmin(String, long)} from the top, highest first. */
    List<ScoredMember> zpopmax(String key, long count);

    /**
     * BZPOPMIN: pops the lowest entry of the first non-empty key, in the order given; if all are
     * empty, waits until one is written or {@code timeout} passes. Waiters on a key are served
     * in arrival order. Inside a transaction it never waits, as Redis does inside MULTI. A wait
     * on {@link #bzpopminAsync(Duration, String...)}.
     *
     * @param timeout how long to wait at most; {@link Duration#ZERO} not at all (the command
     *     answers at once); {@link #bzpopmin(String...)} waits without a limit
     * @return the key and entry popped, or null on timeout
     * @throws InterruptedException if the thread is interrupted while waiting (nothing popped)
     * @throws dev.cairn.common.ClosedException if the dictionary closes while waiting
     */
    default KeyScoredMember bzpopmin(Duration timeout, String... keys) throws InterruptedException {
        return BlockingWait.await(bzpopminAsync(timeout, keys));
    }

    /**
     * BZPOPMIN with Redis's timeout 0: waits without a time limit.
     *
     * @return the key and entry popped (null only inside a transaction, which never waits)
     * @throws InterruptedException if the thread is interrupted while waiting (nothing popped)
     * @throws dev.cairn.common.ClosedException if the dictionary closes while waiting
     */
    default KeyScoredMember bzpopmin(String... keys) throws InterruptedException {
        return BlockingWait.await(bzpopminAsync(keys));
    }

    /** BZPOPMAX: as {@link #bzpopmin(Duration, String...)} for the highest entry. */
    default KeyScoredMember bzpopmax(Duration timeout, String... keys) throws InterruptedException {
        return BlockingWait.await(bzpopmaxAsync(timeout, keys));
    }

    /** BZPOPMAX with Redis's timeout 0: as {@link #bzpopmin(String...)} for the highest entry. */
    default KeyScoredMember bzpopmax(String... keys) throws InterruptedException {
        return BlockingWait.await(bzpopmaxAsync(keys));
    }

    /**
     * BZPOPMIN without a waiting thread: the future completes with the key and entry popped for
     * this caller, with null when {@code timeout} passes, or fails with
     * {@link dev.cairn.common.ClosedException} if the dictionary closes first. Such futures behave
     * as {@link ListCommands} describes for {@code blpopAsync}: completed outside the lock,
     * cancelled by withdrawing the waiter, never losing what was popped.
     *
     * @throws WrongTypeException for a key of another type met before a sorted set, thrown by the call
     */
    CompletableFuture<KeyScoredMember> bzpopminAsync(Duration timeout, String... keys);

    /** BZPOPMIN with Redis's timeout 0, without a waiting thread. */
    CompletableFuture<KeyScoredMember> bzpopminAsync(String... keys);

    /** BZPOPMAX without a waiting thread: as {@link #bzpopminAsync(Duration, String...)} for the highest entry. */
    CompletableFuture<KeyScoredMember> bzpopmaxAsync(Duration timeout, String... keys);

    /** BZPOPMAX with Redis's timeout 0, without a waiting thread. */
    CompletableFuture<KeyScoredMember> bzpopmaxAsync(String... keys);

    /**
     * ZMPOP numkeys key... MIN|MAX COUNT count: pops up to {@code count} entries from one end of
     * the first existing sorted set among {@code keys}, tried in order; a key of another type met
     * before it fails the command.
     *
     * @return the key and the entries in the order popped, or null if no key exists
     * @throws IllegalArgumentException if no key is given or {@code count} is not positive
     */
    KeyScoredMembers zmpop(ScoreEnd end, long count, String... keys);

    /** ZMPOP without COUNT: pops one entry; see {@link #zmpop(ScoreEnd, long, String...)}. */
    default KeyScoredMembers zmpop(ScoreEnd end, String... keys) {
        return zmpop(end, 1, keys);
    }

    /**
     * BZMPOP: as {@link #zmpop(ScoreEnd, long, String...)}, waiting if no key exists; a waiter is
     * served up to {@code count} entries of the first of its keys that gets some.
     *
     * @param timeout how long to wait at most; {@link Duration#ZERO} not at all
     * @return the key and entries, or null on timeout
     * @throws InterruptedException if interrupted while waiting (nothing popped)
     * @throws dev.cairn.common.ClosedException if the dictionary closes while waiting
     */
    default KeyScoredMembers bzmpop(Duration timeout, ScoreEnd end, long count, String... keys)
            throws InterruptedException {
        return BlockingWait.await(bzmpopAsync(timeout, end, count, keys));
    }

    /**
     * BZMPOP with Redis's timeout 0: waits without a time limit.
     *
     * @return the key and entries (null only inside a transaction, which never waits)
     * @throws InterruptedException if interrupted while waiting (nothing popped)
     * @throws dev.cairn.common.ClosedException if the dictionary closes while waiting
     */
    default KeyScoredMembers bzmpop(ScoreEnd end, long count, String... keys) throws InterruptedException {
        return BlockingWait.await(bzmpopAsync(end, count, keys));
    }

    /** BZMPOP without a waiting thread: the future of {@link #bzmpop(Duration, ScoreEnd, long, String...)}'s answer. */
    CompletableFuture<KeyScoredMembers> bzmpopAsync(Duration timeout, ScoreEnd end, long count, String... keys);

    /** BZMPOP with Redis's timeout 0, without a waiting thread. */
    CompletableFuture<KeyScoredMembers> bzmpopAsync(ScoreEnd end, long count, String... keys);

    /** ZINTERCARD numkeys key...: the size of the intersection of the keys (sorted sets or sets). */
    default long zintercard(String... keys) {
        return zintercard(0, keys);
    }

    /**
     * ZINTERCARD numkeys key... LIMIT limit: the size of the intersection of the keys (sorted
     * sets or sets; a missing key makes it empty), counting stopped at {@code limit} (0: no limit).
     *
     * @throws IllegalArgumentException if no key is given or {@code limit} is negative (checked
     *                                  after the keys' types, as Redis checks them)
     */
    long zintercard(long limit, String... keys);

    /** ZUNIONSTORE dst numkeys key ...: scores summed, weights 1. */
    default long zunionstore(String destination, String... keys) {
        return zunionstore(destination, List.of(keys), null, Aggregate.SUM);
    }

    /**
     * ZUNIONSTORE dst numkeys key ... [WEIGHTS w ...] [AGGREGATE SUM|MIN|MAX]: stores every
     * member of any input with its weighted scores combined. Inputs may be sets (each member
     * scored 1.0). Replaces {@code destination} whatever its type; an empty answer deletes it.
     *
     * @param weights one per key, or null for all 1; a weighted score 0 x inf counts as 0 (in an
     *                intersection, only for the smallest input; later ones leave MIN and MAX
     *                as they were, as in Redis)
     * @return the size of the stored set
     */
    long zunionstore(String destination, List<String> keys, double[] weights, Aggregate aggregate);

    /** ZINTERSTORE dst numkeys key ...: scores summed, weights 1. */
    default long zinterstore(String destination, String... keys) {
        return zinterstore(destination, List.of(keys), null, Aggregate.SUM);
    }

    /** ZINTERSTORE: as {@link #zunionstore(String, List, double[], Aggregate)} for the members in every input. */
    long zinterstore(String destination, List<String> keys, double[] weights, Aggregate aggregate);

    /**
     * ZDIFFSTORE: stores the entries of the first input whose member is in no other input, with
     * their scores from the first. Replaces {@code destination}; an empty answer deletes it.
     */
    long zdiffstore(String destination, String... keys);

    /** ZUNION ... WITHSCORES: as {@link #zunionstore(String, List, double[], Aggregate)}, answered in order. */
    List<ScoredMember> zunion(List<String> keys, double[] weights, Aggregate aggregate);

    /** ZINTER ... WITHSCORES: as {@link #zinterstore(String, List, double[], Aggregate)}, answered in order. */
    List<ScoredMember> zinter(List<String> keys, double[] weights, Aggregate aggregate);

    /** ZDIFF ... WITHSCORES: as {@link #zdiffstore}, answered in order. */
    List<ScoredMember> zdiff(String... keys);

    /** ZRANDMEMBER key: a random member, or null when the set is empty. */
    byte[] zrandmember(String key);

    /**
     * ZRANDMEMBER key count WITHSCORES: for a positive count, {@code min(count, size)} distinct
     * random entries; for a negative count, exactly {@code -count} entries each drawn
     * independently (repeats possible); nothing for 0 or an empty set.
     *
     * @throws IllegalArgumentException when {@code -count} is too large to answer
     */
    List<ScoredMember> zrandmember(String key, long count);

    /** ZSCAN key cursor: one step of a scan of the entries; start with cursor 0. */
    default ScanPage<ScoredMember> zscan(String key, long cursor) {
        return zscan(key, cursor, ScanArgs.DEFAULT);
    }

    /**
     * ZSCAN key cursor [MATCH pattern] [COUNT count]: one step of a scan of the entries, with
     * the guarantee of {@link SetCommands#sscan(String, long, ScanArgs)}.
     *
     * @throws IllegalArgumentException if {@code args} has a type filter (SCAN only)
     */
    ScanPage<ScoredMember> zscan(String key, long cursor, ScanArgs args);
}
