package dev.cairn.dictionary.internal;

import dev.cairn.dictionary.Aggregate;
import dev.cairn.dictionary.KeyEventClass;
import dev.cairn.dictionary.KeyScoredMember;
import dev.cairn.dictionary.KeyScoredMembers;
import dev.cairn.dictionary.ScoreEnd;
import dev.cairn.dictionary.KeyType;
import dev.cairn.dictionary.LexRange;
import dev.cairn.dictionary.NotAFloatException;
import dev.cairn.dictionary.ScanArgs;
import dev.cairn.dictionary.ScanPage;
import dev.cairn.dictionary.ScoreRange;
import dev.cairn.dictionary.ScoredMember;
import dev.cairn.dictionary.SortedSetCommands;
import dev.cairn.dictionary.ZAddArgs;
import dev.cairn.dictionary.ZRange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The sorted-set commands, each one run under the {@link Engine}'s command lock, on
 * {@link SortedSetValue}s.
 *
 * <p>Every argument is checked and every key's type read before the first mutation, so a
 * command that throws has changed nothing. Writes go through {@link Engine#write} (saved for
 * a transaction's undo), then {@link Engine#changed} (watches, blocked waiters) and
 * {@link Engine#removeIfEmpty}. Each write is propagated in deterministic form: ZADD with the
 * resulting scores (ZINCRBY and ZADD INCR included), ZREM of the members a pop or a range
 * removal took, and store commands as DEL of the destination plus the ZADD of the result
 * ({@link SortedSetStores}, which also holds ZUNION/ZINTER/ZDIFF).
 * Scores are written so that {@code strtod} reads back the same double.
 *
 * <p>Thread-safe: all state is in the engine, guarded by its lock.
 */
final class SortedSetCommandsImpl implements SortedSetCommands {
    private final Engine engine;
    private final SortedSetStores stores;

    SortedSetCommandsImpl(Engine engine) {
        this.engine = engine;
        this.stores = new SortedSetStores(engine);
    }

    /** A score as text that C's strtod and Java's parseDouble both read back exactly. */
    static String scoreText(double score) {
        if (score == Double.POSITIVE_INFINITY) {
            return "inf";
        }
        if (score == Double.NEGATIVE_INFINITY) {
            return "-inf";
        }
        return Double.toString(score);
    }

    private SortedSetValue read(String key) {
        return engine.readAs(key, KeyType.ZSET, SortedSetValue.class);
    }

    /** The value of {@code key} for a read command, counted as a keyspace hit or miss. */
    private SortedSetValue lookup(String key) {
        return engine.lookupReadAs(key, KeyType.ZSET, SortedSetValue.class);
    }

    private SortedSetValue write(String key) {
        return engine.writeAs(key, KeyType.ZSET, SortedSetValue.class);
    }

    private static void checkScore(double score) {
        if (Double.isNaN(score)) {
            throw new IllegalArgumentException("score is NaN (Redis: value is not a valid float)");
        }
    }

    /** After removals: marks the key written, emits {@code event}, removes it if empty, logs the ZREM. */
    private void removed(String key, SortedSetValue zset, List<byte[]> gone, String event) {
        if (gone.isEmpty()) {
            return;
        }
        engine.changed(key);
        engine.event(KeyEventClass.SORTED_SET, event, key);
        engine.removeIfEmpty(key, zset);
        engine.propagate("ZREM", key, gone);
    }

    // ---------------------------------------------------------------- ZADD family

    @Override
    public long zadd(String key, ZAddArgs args, ScoredMember... members) {
        KeyRules.check(key);
        Objects.requireNonNull(args, "args");
        if (members == null || members.length == 0) {
            throw new IllegalArgumentException("at least one member is required");
        }
        byte[][] copies = new byte[members.length][];
        double[] scores = new double[members.length];
        for (int i = 0; i < members.length; i++) {
            Objects.requireNonNull(members[i], "member");
            copies[i] = Members.in(members[i].member());
            scores[i] = members[i].score();
            checkScore(scores[i]);
        }
        return engine.call(() -> {
            SortedSetValue zset = write(key);
            if (zset == null) {
                if (args.condition() == ZAddArgs.Condition.XX) {
                    return 0L;
                }
                zset = engine.create(key, new SortedSetValue(copies.length));
            }
            long added = 0;
            long updated = 0;
            List<Object> written = engine.logging() ? new ArrayList<>() : null;
            for (int i = 0; i < copies.length; i++) {
                double current = zset.scoreOrNaN(copies[i]);
                double score = scores[i];
                if (Double.isNaN(current)) {
                    if (args.condition() == ZAddArgs.Condition.XX) {
                        continue;
                    }
                    zset.put(copies[i], score);
                    added++;
                } else {
                    if (args.condition() == ZAddArgs.Condition.NX || !allowed(args, current, score)
                            || score == current) {
                        continue;
                    }
                    zset.put(copies[i], score);
                    updated++;
                }
                if (written != null) {
                    written.add(scoreText(score + 0.0));
                    written.add(copies[i]);
                }
            }
            if (added + updated > 0) {
                engine.changed(key);
                engine.event(KeyEventClass.SORTED_SET, "zadd", key);
                engine.propagate("ZADD", key, written);
            }
            engine.removeIfEmpty(key, zset);
            return args.changed() ? added + updated : added;
        });
    }

    /** Whether GT/LT let an existing member's score go from {@code current} to {@code score}. */
    private static boolean allowed(ZAddArgs args, double current, double score) {
        switch (args.comparison()) {
            case GT:
                return score > current;
            case LT:
                return score < current;
            default:
                return true;
        }
    }

    @Override
    public Double zaddIncr(String key, ZAddArgs args, double increment, byte[] member) {
        KeyRules.check(key);
        Objects.requireNonNull(args, "args");
        checkScore(increment);
        byte[] copy = Members.in(member);
        return engine.call(() -> {
            SortedSetValue zset = write(key);
            double current = zset == null ? Double.NaN : zset.scoreOrNaN(copy);
            double score;
            if (Double.isNaN(current)) {
                if (args.condition() == ZAddArgs.Condition.XX) {
                    return null;
                }
                score = increment;
            } else {
                if (args.condition() == ZAddArgs.Condition.NX) {
                    return null;
                }
                score = current + increment;
                if (Double.isNaN(score)) {
                    throw new NotAFloatException("resulting score is not a number (NaN): " + current + " + "
                            + increment + " for a member of '" + key + "'");
                }
                if (!allowed(args, current, score)) {
                    return null;
                }
            }
            score += 0.0;
            if (zset == null) {
                zset = engine.create(key, new SortedSetValue());
            }
            if (score != current || Double.isNaN(current)) {
                zset.put(copy, score);
                engine.changed(key);
                engine.event(KeyEventClass.SORTED_SET, "zincr", key);
                engine.propagate("ZADD", key, scoreText(score), copy);
            }
            return score;
        });
    }

    @Override
    public double zincrby(String key, double increment, byte[] member) {
        return zaddIncr(key, ZAddArgs.DEFAULT, increment, member);
    }

    @Override
    public long zrem(String key, byte[]... members) {
        KeyRules.check(key);
        byte[][] copies = Members.in(members);
        return engine.call(() -> {
            SortedSetValue zset = write(key);
            if (zset == null) {
                return 0L;
            }
            List<byte[]> gone = new ArrayList<>();
            for (byte[] member : copies) {
                if (zset.remove(member)) {
                    gone.add(member);
                }
            }
            removed(key, zset, gone, "zrem");
            return (long) gone.size();
        });
    }

    // ---------------------------------------------------------------- reads

    @Override
    public Double zscore(String key, byte[] member) {
        KeyRules.check(key);
        Objects.requireNonNull(member, "member");
        return engine.call(() -> {
            SortedSetValue zset = lookup(key);
            double score = zset == null ? Double.NaN : zset.scoreOrNaN(member);
            return Double.isNaN(score) ? null : score;
        });
    }

    @Override
    public List<Double> zmscore(String key, byte[]... members) {
        KeyRules.check(key);
        byte[][] copies = Members.in(members);
        return engine.call(() -> {
            SortedSetValue zset = lookup(key);
            List<Double> answer = new ArrayList<>(copies.length);
            for (byte[] member : copies) {
                double score = zset == null ? Double.NaN : zset.scoreOrNaN(member);
                answer.add(Double.isNaN(score) ? null : score);
            }
            return answer;
        });
    }

    @Override
    public long zcard(String key) {
        KeyRules.check(key);
        return engine.call(() -> {
            SortedSetValue zset = lookup(key);
            return zset == null ? 0L : zset.size();
        });
    }

    @Override
    public long zcount(String key, ScoreRange range) {
        KeyRules.check(key);
        Objects.requireNonNull(range, "range");
        return engine.call(() -> {
            SortedSetValue zset = lookup(key);
            return zset == null ? 0L : zset.countByScore(range);
        });
    }

    @Override
    public long zlexcount(String key, LexRange range) {
        KeyRules.check(key);
        Objects.requireNonNull(range, "range");
        return engine.call(() -> {
            SortedSetValue zset = lookup(key);
            return zset == null ? 0L : zset.countByLex(range);
        });
    }

    /** The entries {@code range} selects; members copied for an answer when {@code copy}. */
    static List<ScoredMember> select(SortedSetValue zset, ZRange range, boolean copy) {
        List<ScoredMember> out = new ArrayList<>();
        if (zset == null) {
            return out;
        }
        SortedSetValue.EntryVisitor add = (member, score) -> out.add(new ScoredMember(copy ? member.clone() : member,
                score));
        switch (range.by()) {
            case RANK:
                zset.rangeByRank(range.start(), range.stop(), range.reverse(), add);
                break;
            case SCORE:
                zset.rangeByScore(range.scores(), range.reverse(), range.offset(), range.count(), add);
                break;
            default:
                zset.rangeByLex(range.members(), range.reverse(), range.offset(), range.count(), add);
                break;
        }
        return out;
    }

    @Override
    public List<ScoredMember> zrange(String key, ZRange range) {
        KeyRules.check(key);
        Objects.requireNonNull(range, "range");
        return engine.call(() -> select(lookup(key), range, true));
    }

    @Override
    public long zrangestore(String destination, String source, ZRange range) {
        KeyRules.check(destination);
        KeyRules.check(source);
        Objects.requireNonNull(range, "range");
        return engine.call(() -> {
            List<ScoredMember> selected = select(lookup(source), range, false);
            SortedSetValue result = new SortedSetValue(selected.size());
            for (ScoredMember entry : selected) {
                result.put(entry.member(), entry.score());
            }
            return stores.store(destination, result, "zrangestore");
        });
    }

    @Override
    public Long zrank(String key, byte[] member) {
        return rank(key, member, false);
    }

    @Override
    public Long zrevrank(String key, byte[] member) {
        return rank(key, member, true);
    }

    private Long rank(String key, byte[] member, boolean reverse) {
        KeyRules.check(key);
        Objects.requireNonNull(member, "member");
        return engine.call(() -> {
            SortedSetValue zset = lookup(key);
            long rank = zset == null ? -1 : zset.rank(member, reverse);
            return rank < 0 ? null : rank;
        });
    }

    // ---------------------------------------------------------------- removals

    private long removeRange(String key, String event, Function<SortedSetValue, List<byte[]>> removal) {
        KeyRules.check(key);
        return engine.call(() -> {
            SortedSetValue zset = write(key);
            if (zset == null) {
                return 0L;
            }
            List<byte[]> gone = removal.apply(zset);
            removed(key, zset, gone, event);
            return (long) gone.size();
        });
    }

    @Override
    public long zremrangebyrank(String key, long start, long stop) {
        return removeRange(key, "zremrangebyrank", zset -> {
            List<byte[]> gone = new ArrayList<>();
            zset.removeRangeByRank(start, stop, (member, score) -> gone.add(member));
            return gone;
        });
    }

    @Override
    public long zremrangebyscore(String key, ScoreRange range) {
        Objects.requireNonNull(range, "range");
        return removeRange(key, "zremrangebyscore", zset -> {
            List<byte[]> gone = new ArrayList<>();
            zset.removeRangeByScore(range, (member, score) -> gone.add(member));
            return gone;
        });
    }

    @Override
    public long zremrangebylex(String key, LexRange range) {
        Objects.requireNonNull(range, "range");
        return removeRange(key, "zremrangebylex", zset -> {
            List<byte[]> gone = new ArrayList<>();
            zset.removeRangeByLex(range, (member, score) -> gone.add(member));
            return gone;
        });
    }

    // ---------------------------------------------------------------- pops

    /** Pops up to {@code count} entries from one end of the set at {@code key}; logs them as ZREM. */
    private List<ScoredMember> popFrom(String key, SortedSetValue zset, boolean max, long count) {
        List<ScoredMember> popped = new ArrayList<>();
        List<byte[]> gone = new ArrayList<>();
        zset.pop(max, count, (member, score) -> {
            popped.add(new ScoredMember(member.clone(), score));
            gone.add(member);
        });
        removed(key, zset, gone, max ? "zpopmax" : "zpopmin");
        return popped;
    }

    private List<ScoredMember> pop(String key, boolean max, long count) {
        KeyRules.check(key);
        if (count < 0) {
            throw new IllegalArgumentException("value is out of range, must be positive: count " + count);
        }
        return engine.call(() -> {
            SortedSetValue zset = write(key);
            return zset == null || count == 0 ? new ArrayList<>() : popFrom(key, zset, max, count);
        });
    }

    @Override
    public ScoredMember zpopmin(String key) {
        List<ScoredMember> popped = pop(key, false, 1);
        return popped.isEmpty() ? null : popped.get(0);
    }

    @Override
    public List<ScoredMember> zpopmin(String key, long count) {
        return pop(key, false, count);
    }

    @Override
    public ScoredMember zpopmax(String key) {
        List<ScoredMember> popped = pop(key, true, 1);
        return popped.isEmpty() ? null : popped.get(0);
    }

    @Override
    public List<ScoredMember> zpopmax(String key, long count) {
        return pop(key, true, count);
    }

    @Override
    public CompletableFuture<KeyScoredMember> bzpopminAsync(Duration timeout, String... keys) {
        return blockingPop(ListCommandsImpl.timeoutNanos(timeout), keys, false);
    }

    @Override
    public CompletableFuture<KeyScoredMember> bzpopminAsync(String... keys) {
        return blockingPop(Engine.NO_TIMEOUT, keys, false);
    }

    @Override
    public CompletableFuture<KeyScoredMember> bzpopmaxAsync(Duration timeout, String... keys) {
        return blockingPop(ListCommandsImpl.timeoutNanos(timeout), keys, true);
    }

    @Override
    public CompletableFuture<KeyScoredMember> bzpopmaxAsync(String... keys) {
        return blockingPop(Engine.NO_TIMEOUT, keys, true);
    }

    /** Pops one entry from {@code key} if it holds a non-empty sorted set; null otherwise. */
    private KeyScoredMember popOne(String key, boolean max) {
        SortedSetValue zset = read(key);
        if (zset == null) {
            return null;
        }
        List<ScoredMember> popped = popFrom(key, write(key), max, 1);
        return new KeyScoredMember(key, popped.get(0));
    }

    private CompletableFuture<KeyScoredMember> blockingPop(long timeoutNanos, String[] keys, boolean max) {
        KeyRules.checkAll(keys);
        return engine.tryOrBlock(List.of(keys), timeoutNanos, () -> {
            // As Redis: keys are tried in order; a key of another type fails the command when reached.
            for (String key : keys) {
                KeyScoredMember popped = popOne(key, max);
                if (popped != null) {
                    return popped;
                }
            }
            return null;
        }, key -> popOne(key, max)); // later: under the lock, in the thread whose write made the key ready
    }

    // ---------------------------------------------------------------- ZMPOP and BZMPOP

    private static void checkMultiPop(String[] keys, long count) {
        KeyRules.checkAll(keys);
        if (keys.length == 0) {
            throw new IllegalArgumentException("numkeys should be greater than 0");
        }
        if (count <= 0) {
            throw new IllegalArgumentException("count should be greater than 0: " + count);
        }
    }

    /** Pops up to {@code count} entries from {@code key} if it holds a sorted set; null otherwise. */
    private KeyScoredMembers popRange(String key, boolean max, long count) {
        Node<Object> node = engine.live(key);
        if (node == null || !(node.value instanceof SortedSetValue)) {
            return null;
        }
        return new KeyScoredMembers(key, popFrom(key, write(key), max, count));
    }

    /** The first sorted set among {@code keys} popped, as Redis's genericZpopCommand; null if none exists. */
    private KeyScoredMembers popFirst(String[] keys, boolean max, long count) {
        for (String key : keys) {
            // Type-checked in order: a key of another type before the first sorted set fails the command.
            if (read(key) != null) {
                return popRange(key, max, count);
            }
        }
        return null;
    }

    @Override
    public KeyScoredMembers zmpop(ScoreEnd end, long count, String... keys) {
        Objects.requireNonNull(end, "end");
        checkMultiPop(keys, count);
        return engine.call(() -> popFirst(keys, end == ScoreEnd.MAX, count));
    }

    @Override
    public CompletableFuture<KeyScoredMembers> bzmpopAsync(Duration timeout, ScoreEnd end, long count,
            String... keys) {
        return blockingMultiPop(ListCommandsImpl.timeoutNanos(timeout), end, count, keys);
    }

    @Override
    public CompletableFuture<KeyScoredMembers> bzmpopAsync(ScoreEnd end, long count, String... keys) {
        return blockingMultiPop(Engine.NO_TIMEOUT, end, count, keys);
    }

    private CompletableFuture<KeyScoredMembers> blockingMultiPop(long timeoutNanos, ScoreEnd end, long count,
            String[] keys) {
        Objects.requireNonNull(end, "end");
        checkMultiPop(keys, count);
        boolean max = end == ScoreEnd.MAX;
        return engine.tryOrBlock(List.of(keys), timeoutNanos, () -> popFirst(keys, max, count),
                key -> popRange(key, max, count));
    }

    // ---------------------------------------------------------------- algebra (see SortedSetStores)

    @Override
    public long zintercard(long limit, String... keys) {
        return stores.intersectionCardinality(keys, limit);
    }

    @Override
    public long zunionstore(String destination, List<String> keys, double[] weights, Aggregate aggregate) {
        return stores.combineStore(destination, keys, weights, aggregate, true);
    }

    @Override
    public long zinterstore(String destination, List<String> keys, double[] weights, Aggregate aggregate) {
        return stores.combineStore(destination, keys, weights, aggregate, false);
    }

    @Override
    public long zdiffstore(String destination, String... keys) {
        return stores.zdiffstore(destination, keys);
    }

    @Override
    public List<ScoredMember> zunion(List<String> keys, double[] weights, Aggregate aggregate) {
        return stores.combineRead(keys, weights, aggregate, true);
    }

    @Override
    public List<ScoredMember> zinter(List<String> keys, double[] weights, Aggregate aggregate) {
        return stores.combineRead(keys, weights, aggregate, false);
    }

    @Override
    public List<ScoredMember> zdiff(String... keys) {
        return stores.zdiff(keys);
    }

    // ---------------------------------------------------------------- random and scan

    @Override
    public byte[] zrandmember(String key) {
        KeyRules.check(key);
        return engine.call(() -> {
            SortedSetValue zset = lookup(key);
            byte[][] picked = new byte[1][];
            if (zset != null) {
                zset.randomEntry(engine.random, (member, score) -> picked[0] = member.clone());
            }
            return picked[0];
        });
    }

    @Override
    public List<ScoredMember> zrandmember(String key, long count) {
        KeyRules.check(key);
        if (count < -RandomSampling.MAX_COUNT) {
            throw new IllegalArgumentException("value is out of range: count " + count);
        }
        return engine.call(() -> {
            SortedSetValue zset = lookup(key);
            List<ScoredMember> picked = new ArrayList<>();
            if (zset != null) {
                zset.randomEntries(count, engine.random,
                        (member, score) -> picked.add(new ScoredMember(member.clone(), score)));
            }
            return picked;
        });
    }

    @Override
    public ScanPage<ScoredMember> zscan(String key, long cursor, ScanArgs args) {
        KeyRules.check(key);
        Objects.requireNonNull(args, "args");
        byte[] pattern = Members.pattern(args);
        return engine.call(() -> {
            SortedSetValue zset = lookup(key);
            if (zset == null) {
                return new ScanPage<ScoredMember>(0, List.of());
            }
            List<ScoredMember> found = new ArrayList<>();
            long next = zset.scan(cursor, args.count(), (member, score) -> {
                if (Members.matches(pattern, member)) {
                    found.add(new ScoredMember(member.clone(), score));
                }
            });
            return new ScanPage<>(next, found);
        });
    }
}
