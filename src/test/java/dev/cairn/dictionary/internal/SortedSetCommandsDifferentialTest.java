package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.dictionary.Aggregate;
import dev.cairn.dictionary.KeyScoredMember;
import dev.cairn.dictionary.KeyScoredMembers;
import dev.cairn.dictionary.ScoreEnd;
import dev.cairn.dictionary.LexRange;
import dev.cairn.dictionary.NotAFloatException;
import dev.cairn.dictionary.ScanArgs;
import dev.cairn.dictionary.ScanPage;
import dev.cairn.dictionary.ScoreRange;
import dev.cairn.dictionary.ScoredMember;
import dev.cairn.dictionary.SortedSetCommands;
import dev.cairn.dictionary.ZAddArgs;
import dev.cairn.dictionary.ZRange;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Differential test of the sorted-set commands: a long seeded random sequence run on a real
 * Redis 7 and on the Dictionary, requiring equal replies and equal error classes at every step.
 * Scores are compared as doubles (Redis's text parsed back). Scores are small integers, halves
 * and infinities, so sums in ZUNIONSTORE/ZINTERSTORE are exact whatever the order of addition.
 * Lexicographic commands run on a key whose members all have score 0, as Redis requires for
 * a meaningful answer. ZRANDMEMBER is checked by properties (count, distinctness, membership).
 * The seed is printed on failure and read from {@code -Dcairn.seed} to replay.
 */
class SortedSetCommandsDifferentialTest {
    @RegisterExtension
    static final RedisServer REDIS = new RedisServer();

    private static final int STEPS = Integer.getInteger("cairn.fuzz.iterations", 200) * 10;
    private static final String[] MEMBERS = {"a", "b", "c", "d", "e", "f", "g", "é", "", "ab", "\u007f"};
    private static final String[] SCORES = {"0", "1", "2", "3", "-1", "-2", "0.5", "2.5", "-0", "inf", "-inf", "10"};

    private final long seed = Long.getLong("cairn.seed", System.nanoTime());
    private final Random random = new Random(seed);
    private final Differential diff = new Differential(seed);
    private ReplayedDictionary replayed;
    private LocalDictionary dictionary;
    private SortedSetCommands z;
    private Jedis redis;
    private final List<WriteEntry> entries = new ArrayList<>();

    @BeforeEach
    void open() {
        replayed = new ReplayedDictionary(new ManualClock(System.currentTimeMillis()), entries::add);
        dictionary = replayed.dictionary();
        z = dictionary.sortedSets();
        redis = REDIS.client();
    }

    @AfterEach
    void close() {
        replayed.close();
    }

    // ---------------------------------------------------------------- generators and conversions

    private String key() {
        int pick = random.nextInt(14);
        return pick == 0 ? "str" : pick == 1 ? "set" : "z" + random.nextInt(3);
    }

    private String member() {
        return MEMBERS[random.nextInt(MEMBERS.length)];
    }

    private String score() {
        return SCORES[random.nextInt(SCORES.length)];
    }

    private String scoreEnd() {
        return (random.nextInt(3) == 0 ? "(" : "") + score();
    }

    private String lexEnd() {
        int kind = random.nextInt(6);
        return kind == 0 ? "-" : kind == 1 ? "+" : (kind % 2 == 0 ? "[" : "(") + member();
    }

    private static double parse(String score) {
        if (score.equals("inf") || score.equals("+inf")) {
            return Double.POSITIVE_INFINITY;
        }
        if (score.equals("-inf")) {
            return Double.NEGATIVE_INFINITY;
        }
        return Double.parseDouble(score);
    }

    private static byte[] b(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Object redisBulk) {
        return new String((byte[]) redisBulk, StandardCharsets.UTF_8);
    }

    /**
     * Sends a command to Redis. Its "resulting score is not a number (NaN)" error is the case
     * the Dictionary reports with {@link NotAFloatException}; the shared error classes do not
     * know that message yet, so it is translated here.
     */
    private Object raw(String command, String... args) {
        try {
            return redis.sendCommand(Protocol.Command.valueOf(command), args);
        } catch (JedisDataException e) {
            if (e.getMessage() != null && e.getMessage().contains("resulting score is not a number")) {
                throw new NotAFloatException(e.getMessage());
            }
            throw e;
        }
    }

    private static List<String> args(Object... parts) {
        List<String> out = new ArrayList<>();
        for (Object part : parts) {
            if (part instanceof String[] many) {
                out.addAll(Arrays.asList(many));
            } else if (part instanceof List<?> list) {
                list.forEach(item -> out.add((String) item));
            } else {
                out.add(String.valueOf(part));
            }
        }
        return out;
    }

    /** A score as the comparison sees it: the double, written by Java (so 1 and 1.0 agree). */
    private static String same(double score) {
        return Double.toString(score + 0.0);
    }

    /** Redis's flat member/score reply as "member=score" items. */
    private static List<String> pairs(Object reply) {
        List<?> flat = (List<?>) reply;
        List<String> out = new ArrayList<>();
        for (int i = 0; i < flat.size(); i += 2) {
            out.add(Differential.normal(flat.get(i)) + "=" + same(parse(text(flat.get(i + 1)))));
        }
        return out;
    }

    private static List<String> pairs(List<ScoredMember> entries) {
        List<String> out = new ArrayList<>();
        for (ScoredMember entry : entries) {
            out.add(Differential.normal(entry.member()) + "=" + same(entry.score()));
        }
        return out;
    }

    private static Object scoreOrNull(Object bulk) {
        return bulk == null ? null : same(parse(text(bulk)));
    }

    private static Object scoreOrNull(Double score) {
        return score == null ? null : same(score);
    }

    // ---------------------------------------------------------------- the sequence

    @Test
    void randomSortedSetCommandSequencesMatchRedis() throws InterruptedException {
        redis.set("str", "text");
        dictionary.strings().set("str", b("text"));
        redis.sadd("set", "a", "b", "x");
        dictionary.sets().sadd("set", b("a"), b("b"), b("x"));
        for (int step = 0; step < STEPS; step++) {
            String k = key();
            String k2 = key();
            String m = member();
            switch (random.nextInt(29)) {
                case 26, 27 -> zmpop(k, k2, random.nextBoolean());
                case 28 -> {
                    long limit = random.nextInt(5) - (random.nextInt(8) == 0 ? 2 : 0);
                    boolean withLimit = limit != 0 || random.nextBoolean();
                    List<String> words = withLimit ? args(2, k, k2, "LIMIT", limit) : args(2, k, k2);
                    diff.check("ZINTERCARD " + words, () -> raw("ZINTERCARD", words.toArray(new String[0])),
                            () -> withLimit ? z.zintercard(limit, k, k2) : z.zintercard(k, k2));
                }
                case 0, 1, 2, 3 -> zadd(k);
                case 4 -> zaddIncr(k, m);
                case 5 -> {
                    String by = score();
                    diff.check("ZINCRBY " + k + " " + by + " " + m, () -> scoreOrNull(raw("ZINCRBY", k, by, m)),
                            () -> same(z.zincrby(k, parse(by), b(m))));
                }
                case 6 -> {
                    String m2 = member();
                    diff.check("ZREM " + k + " " + m + " " + m2, () -> raw("ZREM", k, m, m2),
                            () -> z.zrem(k, b(m), b(m2)));
                }
                case 7 -> diff.check("ZSCORE " + k + " " + m, () -> scoreOrNull(raw("ZSCORE", k, m)),
                        () -> scoreOrNull(z.zscore(k, b(m))));
                case 8 -> {
                    String m2 = member();
                    diff.check("ZMSCORE " + k + " " + m + " " + m2, () -> {
                        List<Object> out = new ArrayList<>();
                        ((List<?>) raw("ZMSCORE", k, m, m2)).forEach(s -> out.add(scoreOrNull(s)));
                        return out;
                    }, () -> {
                        List<Object> out = new ArrayList<>();
                        z.zmscore(k, b(m), b(m2)).forEach(s -> out.add(scoreOrNull(s)));
                        return out;
                    });
                }
                case 9 -> diff.check("ZCARD " + k, () -> raw("ZCARD", k), () -> z.zcard(k));
                case 10 -> {
                    String min = scoreEnd();
                    String max = scoreEnd();
                    diff.check("ZCOUNT " + k + " " + min + " " + max, () -> raw("ZCOUNT", k, min, max),
                            () -> z.zcount(k, ScoreRange.parse(min, max)));
                }
                case 11 -> {
                    String min = lexEnd();
                    String max = lexEnd();
                    diff.check("ZLEXCOUNT lex " + min + " " + max, () -> raw("ZLEXCOUNT", "lex", min, max),
                            () -> z.zlexcount("lex", LexRange.parse(min, max)));
                }
                case 12, 13 -> zrange(k, null);
                case 14 -> zrange(k, key());
                case 15 -> diff.check("ZRANK " + k + " " + m, () -> raw("ZRANK", k, m), () -> z.zrank(k, b(m)));
                case 16 -> diff.check("ZREVRANK " + k + " " + m, () -> raw("ZREVRANK", k, m),
                        () -> z.zrevrank(k, b(m)));
                case 17 -> {
                    long start = random.nextInt(9) - 4;
                    long stop = random.nextInt(9) - 4;
                    diff.check("ZREMRANGEBYRANK " + k + " " + start + " " + stop,
                            () -> raw("ZREMRANGEBYRANK", k, Long.toString(start), Long.toString(stop)),
                            () -> z.zremrangebyrank(k, start, stop));
                }
                case 18 -> {
                    String min = scoreEnd();
                    String max = scoreEnd();
                    diff.check("ZREMRANGEBYSCORE " + k + " " + min + " " + max,
                            () -> raw("ZREMRANGEBYSCORE", k, min, max),
                            () -> z.zremrangebyscore(k, ScoreRange.parse(min, max)));
                }
                case 19 -> {
                    String min = lexEnd();
                    String max = lexEnd();
                    diff.check("ZREMRANGEBYLEX lex " + min + " " + max, () -> raw("ZREMRANGEBYLEX", "lex", min, max),
                            () -> z.zremrangebylex("lex", LexRange.parse(min, max)));
                }
                case 20 -> {
                    boolean max = random.nextBoolean();
                    long count = random.nextInt(5) - 1;
                    String name = max ? "ZPOPMAX" : "ZPOPMIN";
                    diff.check(name + " " + k + " " + count, () -> pairs(raw(name, k, Long.toString(count))),
                            () -> pairs(max ? z.zpopmax(k, count) : z.zpopmin(k, count)));
                }
                case 21 -> {
                    boolean max = random.nextBoolean();
                    String name = max ? "BZPOPMAX" : "BZPOPMIN";
                    // Only on keys that hold data or another type, so neither side waits.
                    if (redis.exists(k) && redis.exists(k2)) {
                        diff.check(name + " " + k + " " + k2, () -> {
                            List<?> reply = (List<?>) raw(name, k, k2, "0.01");
                            return List.of(Differential.normal(reply.get(0)), Differential.normal(reply.get(1)),
                                    same(parse(text(reply.get(2)))));
                        }, () -> {
                            KeyScoredMember got = max ? bzpop(true, k, k2) : bzpop(false, k, k2);
                            return List.of(got.key(), Differential.normal(got.member().member()),
                                    same(got.member().score()));
                        });
                    }
                }
                case 22 -> combine(k);
                case 23 -> zrandmember(k);
                case 24 -> zscan(k);
                default -> lexAdd();
            }
        }
        for (String k : new String[] {"z0", "z1", "z2", "lex"}) {
            diff.check("ZRANGE " + k + " 0 -1 WITHSCORES (final)", () -> pairs(raw("ZRANGE", k, "0", "-1", "WITHSCORES")),
                    () -> pairs(z.zrange(k, ZRange.byRank(0, -1))));
        }
        // The persistence seam: the write entries, replayed on an empty Redis database, rebuild the same state.
        redis.select(1);
        try {
            for (WriteEntry entry : entries) {
                for (List<byte[]> command : entry.commands()) {
                    byte[][] args = command.subList(1, command.size()).toArray(new byte[0][]);
                    redis.sendCommand(Protocol.Command.valueOf(new String(command.get(0), StandardCharsets.US_ASCII)),
                            args);
                }
            }
            for (String k : new String[] {"z0", "z1", "z2", "lex", "set", "str"}) {
                diff.check("TYPE " + k + " (replayed)", () -> redis.type(k), () -> dictionary.keys().type(k).redisName());
                if (dictionary.keys().type(k) == dev.cairn.dictionary.KeyType.ZSET) {
                    diff.check("ZRANGE " + k + " 0 -1 WITHSCORES (replayed)",
                            () -> pairs(raw("ZRANGE", k, "0", "-1", "WITHSCORES")),
                            () -> pairs(z.zrange(k, ZRange.byRank(0, -1))));
                }
            }
        } finally {
            redis.select(0);
        }
        // And through the append-only file: reopened from it, the Dictionary holds the same content.
        replayed.assertReplayRebuildsTheSameState("seed " + seed);
        assertThat(diff.commandsRun()).as("seed %d: write commands the sequence must cover", seed)
                .contains("ZADD", "ZINCRBY", "ZREM", "ZREMRANGEBYRANK", "ZREMRANGEBYSCORE", "ZREMRANGEBYLEX", "ZPOPMIN",
                        "ZPOPMAX", "ZRANGESTORE", "ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE", "ZMPOP", "BZMPOP", "ZINTERCARD");
    }

    /** ZMPOP or BZMPOP (a short timeout, so it answers nil when there is nothing) on two keys. */
    private void zmpop(String k, String k2, boolean blocking) {
        ScoreEnd end = random.nextBoolean() ? ScoreEnd.MIN : ScoreEnd.MAX;
        long count = random.nextInt(4) - (random.nextInt(10) == 0 ? 1 : 0);
        boolean withCount = count != 1 || random.nextBoolean();
        List<String> words = new ArrayList<>(blocking ? args("0.01", 2, k, k2, end.name()) : args(2, k, k2, end.name()));
        if (withCount) {
            words.addAll(args("COUNT", count));
        }
        String name = blocking ? "BZMPOP" : "ZMPOP";
        diff.check(name + " " + words, () -> {
            List<?> reply = (List<?>) raw(name, words.toArray(new String[0]));
            if (reply == null) {
                return null;
            }
            List<String> popped = new ArrayList<>();
            for (Object pair : (List<?>) reply.get(1)) {
                List<?> entry = (List<?>) pair;
                popped.add(Differential.normal(entry.get(0)) + "=" + same(parse(text(entry.get(1)))));
            }
            return List.of(Differential.normal(reply.get(0)), popped);
        }, () -> {
            KeyScoredMembers got;
            try {
                got = blocking ? z.bzmpop(Duration.ofMillis(10), end, count, k, k2)
                        : withCount ? z.zmpop(end, count, k, k2) : z.zmpop(end, k, k2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return got == null ? null : List.of(got.key(), pairs(got.members()));
        });
    }

    private KeyScoredMember bzpop(boolean max, String... keys) {
        try {
            return max ? z.bzpopmax(Duration.ofMillis(10), keys) : z.bzpopmin(Duration.ofMillis(10), keys);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void lexAdd() {
        String m = member();
        diff.check("ZADD lex 0 " + m, () -> raw("ZADD", "lex", "0", m), () -> z.zadd("lex", 0, b(m)));
    }

    private void zadd(String k) {
        int pairsCount = 1 + random.nextInt(3);
        List<String> pairs = new ArrayList<>();
        ScoredMember[] entries = new ScoredMember[pairsCount];
        for (int i = 0; i < pairsCount; i++) {
            String score = score();
            String m = member();
            pairs.add(score);
            pairs.add(m);
            entries[i] = new ScoredMember(b(m), parse(score));
        }
        List<String> flags = new ArrayList<>();
        int condition = random.nextInt(4);
        int comparison = random.nextInt(4);
        boolean ch = random.nextBoolean();
        if (condition == 1) {
            flags.add("NX");
        } else if (condition == 2) {
            flags.add("XX");
        }
        if (comparison == 1) {
            flags.add("GT");
        } else if (comparison == 2) {
            flags.add("LT");
        }
        if (ch) {
            flags.add("CH");
        }
        List<String> all = args(k, flags, pairs);
        diff.check("ZADD " + String.join(" ", all), () -> raw("ZADD", all.toArray(new String[0])),
                () -> z.zadd(k, zaddArgs(condition, comparison, ch), entries));
    }

    private static ZAddArgs zaddArgs(int condition, int comparison, boolean ch) {
        ZAddArgs args = ZAddArgs.DEFAULT;
        args = condition == 1 ? args.nx() : condition == 2 ? args.xx() : args;
        args = comparison == 1 ? args.gt() : comparison == 2 ? args.lt() : args;
        return ch ? args.ch() : args;
    }

    private void zaddIncr(String k, String m) {
        int condition = random.nextInt(4);
        int comparison = random.nextInt(4);
        String by = score();
        List<String> flags = new ArrayList<>();
        if (condition == 1) {
            flags.add("NX");
        } else if (condition == 2) {
            flags.add("XX");
        }
        if (comparison == 1) {
            flags.add("GT");
        } else if (comparison == 2) {
            flags.add("LT");
        }
        List<String> all = args(k, flags, "INCR", by, m);
        diff.check("ZADD " + String.join(" ", all), () -> scoreOrNull(raw("ZADD", all.toArray(new String[0]))),
                () -> scoreOrNull(z.zaddIncr(k, zaddArgs(condition, comparison, false), parse(by), b(m))));
    }

    /** ZRANGE (or ZRANGESTORE into {@code destination}) by rank, score or lex, with REV and LIMIT. */
    private void zrange(String k, String destination) {
        int by = random.nextInt(3);
        boolean rev = random.nextBoolean();
        boolean limit = by != 0 && random.nextBoolean();
        long offset = random.nextInt(5) - 1;
        long count = random.nextInt(5) - 1;
        String key = by == 2 ? "lex" : k;
        String first;
        String second;
        ZRange range;
        if (by == 0) {
            long start = random.nextInt(9) - 4;
            long stop = random.nextInt(9) - 4;
            first = Long.toString(start);
            second = Long.toString(stop);
            range = ZRange.byRank(start, stop);
        } else if (by == 1) {
            String min = scoreEnd();
            String max = scoreEnd();
            first = rev ? max : min;
            second = rev ? min : max;
            range = ZRange.byScore(ScoreRange.parse(min, max));
        } else {
            String min = lexEnd();
            String max = lexEnd();
            first = rev ? max : min;
            second = rev ? min : max;
            range = ZRange.byLex(LexRange.parse(min, max));
        }
        if (rev) {
            range = range.rev();
        }
        if (limit) {
            range = range.limit(offset, count);
        }
        List<String> options = new ArrayList<>();
        if (by == 1) {
            options.add("BYSCORE");
        } else if (by == 2) {
            options.add("BYLEX");
        }
        if (rev) {
            options.add("REV");
        }
        if (limit) {
            options.addAll(List.of("LIMIT", Long.toString(offset), Long.toString(count)));
        }
        ZRange finalRange = range;
        if (destination == null) {
            List<String> all = args(key, first, second, options, by == 2 ? List.of() : List.of("WITHSCORES"));
            diff.check("ZRANGE " + String.join(" ", all), () -> {
                Object reply = raw("ZRANGE", all.toArray(new String[0]));
                if (by == 2) {
                    List<String> out = new ArrayList<>();
                    ((List<?>) reply).forEach(item -> out.add(Differential.normal(item) + "=0.0"));
                    return out;
                }
                return pairs(reply);
            }, () -> pairs(z.zrange(key, finalRange)));
        } else {
            List<String> all = args(destination, key, first, second, options);
            diff.check("ZRANGESTORE " + String.join(" ", all), () -> raw("ZRANGESTORE", all.toArray(new String[0])),
                    () -> z.zrangestore(destination, key, finalRange));
        }
    }

    /** ZUNIONSTORE / ZINTERSTORE (weights, aggregate) and ZDIFFSTORE, over sorted sets and the plain set. */
    private void combine(String destination) {
        int inputs = 1 + random.nextInt(3);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < inputs; i++) {
            keys.add(random.nextInt(5) == 0 ? "set" : key());
        }
        int kind = random.nextInt(3);
        if (kind == 2) {
            List<String> all = args(destination, Integer.toString(inputs), keys);
            diff.check("ZDIFFSTORE " + String.join(" ", all), () -> raw("ZDIFFSTORE", all.toArray(new String[0])),
                    () -> z.zdiffstore(destination, keys.toArray(new String[0])));
            return;
        }
        double[] weights = null;
        List<String> options = new ArrayList<>();
        if (random.nextBoolean()) {
            weights = new double[inputs];
            options.add("WEIGHTS");
            for (int i = 0; i < inputs; i++) {
                String w = new String[] {"0", "1", "2", "-1", "0.5"}[random.nextInt(5)];
                weights[i] = parse(w);
                options.add(w);
            }
        }
        Aggregate aggregate = Aggregate.values()[random.nextInt(3)];
        if (aggregate != Aggregate.SUM || random.nextBoolean()) {
            options.addAll(List.of("AGGREGATE", aggregate.name()));
        }
        String name = kind == 0 ? "ZUNIONSTORE" : "ZINTERSTORE";
        List<String> all = args(destination, Integer.toString(inputs), keys, options);
        double[] finalWeights = weights;
        diff.check(name + " " + String.join(" ", all), () -> raw(name, all.toArray(new String[0])),
                () -> kind == 0 ? z.zunionstore(destination, keys, finalWeights, aggregate)
                        : z.zinterstore(destination, keys, finalWeights, aggregate));
    }

    /** ZRANDMEMBER count WITHSCORES: count semantics, distinctness and membership. */
    private void zrandmember(String k) {
        long count = random.nextInt(9) - 4;
        diff.check("ZRANDMEMBER " + k + " " + count + " WITHSCORES (size)", () -> {
            List<?> reply = (List<?>) raw("ZRANDMEMBER", k, Long.toString(count), "WITHSCORES");
            return (long) reply.size() / 2;
        }, () -> {
            List<ScoredMember> picked = z.zrandmember(k, count);
            Set<String> all = new HashSet<>(pairs(z.zrange(k, ZRange.byRank(0, -1))));
            assertThat(all).containsAll(pairs(picked));
            if (count > 0) {
                assertThat(picked).doesNotHaveDuplicates();
            }
            return (long) picked.size();
        });
    }

    /** A full ZSCAN: the union of the pages equals Redis's. */
    private void zscan(String k) {
        diff.check("ZSCAN " + k + " (full)", () -> {
            Set<String> seen = new TreeSet<>();
            String cursor = "0";
            do {
                List<?> reply = (List<?>) raw("ZSCAN", k, cursor, "COUNT", "2");
                cursor = text(reply.get(0));
                seen.addAll(pairs(reply.get(1)));
            } while (!cursor.equals("0"));
            return seen;
        }, () -> {
            Set<String> seen = new TreeSet<>();
            long cursor = 0;
            do {
                ScanPage<ScoredMember> page = z.zscan(k, cursor, ScanArgs.DEFAULT.count(2));
                seen.addAll(pairs(page.items()));
                cursor = page.cursor();
            } while (cursor != 0);
            return seen;
        });
    }
}
