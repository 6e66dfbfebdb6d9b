package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.dictionary.ScanArgs;
import dev.cairn.dictionary.ScanPage;
import dev.cairn.dictionary.SetCommands;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * Differential test of the set commands: a long seeded random sequence run on a real Redis 7
 * and on the Dictionary, requiring equal replies (member lists compared as sorted lists) and
 * equal error classes at every step. SPOP and SRANDMEMBER are random: their answers are
 * checked by properties (count, distinctness, membership in Redis's set), and SPOP's removals
 * are then applied to Redis so the two stay equal. The seed is printed on failure and read
 * from {@code -Dcairn.seed} to replay.
 */
class SetCommandsDifferentialTest {
    @RegisterExtension
    static final RedisServer REDIS = new RedisServer();

    private static final int STEPS = Integer.getInteger("cairn.fuzz.iterations", 200) * 10;
    private static final String[] MEMBERS = {"a", "b", "c", "d", "e", "f", "1", "2", "é", "", "a*b"};

    private final long seed = Long.getLong("cairn.seed", System.nanoTime());
    private final Random random = new Random(seed);
    private final Differential diff = new Differential(seed);
    private ReplayedDictionary replayed;
    private LocalDictionary dictionary;
    private SetCommands sets;
    private Jedis redis;
    private final List<WriteEntry> entries = new ArrayList<>();

    @BeforeEach
    void open() {
        replayed = new ReplayedDictionary(new ManualClock(System.currentTimeMillis()), entries::add);
        dictionary = replayed.dictionary();
        sets = dictionary.sets();
        redis = REDIS.client();
    }

    @AfterEach
    void close() {
        replayed.close();
    }

    private String key() {
        return random.nextInt(12) == 0 ? "str" : "s" + random.nextInt(4);
    }

    private String member() {
        return MEMBERS[random.nextInt(MEMBERS.length)];
    }

    private String[] members() {
        String[] out = new String[1 + random.nextInt(4)];
        for (int i = 0; i < out.length; i++) {
            out[i] = member();
        }
        return out;
    }

    private String[] keys() {
        String[] out = new String[1 + random.nextInt(3)];
        for (int i = 0; i < out.length; i++) {
            out[i] = key();
        }
        return out;
    }

    private static byte[] b(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[][] b(String[] texts) {
        byte[][] out = new byte[texts.length][];
        for (int i = 0; i < texts.length; i++) {
            out[i] = b(texts[i]);
        }
        return out;
    }

    private Object raw(String command, String... args) {
        return redis.sendCommand(Protocol.Command.valueOf(command), args);
    }

    private static String[] concat(String first, String[] rest) {
        String[] out = new String[rest.length + 1];
        out[0] = first;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }

    private static String[] concat(String[] head, String... tail) {
        String[] out = new String[head.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }

    private static long n(boolean flag) {
        return flag ? 1 : 0;
    }

    @Test
    void randomSetCommandSequencesMatchRedis() {
        redis.set("str", "text");
        dictionary.strings().set("str", b("text"));
        for (int step = 0; step < STEPS; step++) {
            String k = key();
            String k2 = key();
            String m = member();
            String[] ms = members();
            String[] ks = keys();
            switch (random.nextInt(20)) {
                case 0, 1, 2 -> diff.check("SADD " + k + " " + String.join(" ", ms),
                        () -> raw("SADD", concat(k, ms)), () -> sets.sadd(k, b(ms)));
                case 3 -> diff.check("SREM " + k, () -> raw("SREM", concat(k, ms)), () -> sets.srem(k, b(ms)));
                case 4 -> diff.check("SMEMBERS " + k, () -> Differential.unordered(redis.smembers(k)),
                        () -> Differential.unordered(sets.smembers(k)));
                case 5 -> diff.check("SISMEMBER " + k + " " + m, () -> raw("SISMEMBER", k, m),
                        () -> n(sets.sismember(k, b(m))));
                case 6 -> diff.check("SMISMEMBER " + k, () -> raw("SMISMEMBER", concat(k, ms)), () -> {
                    List<Long> out = new ArrayList<>();
                    sets.smismember(k, b(ms)).forEach(flag -> out.add(n(flag)));
                    return out;
                });
                case 7 -> diff.check("SCARD " + k, () -> raw("SCARD", k), () -> sets.scard(k));
                case 8 -> spop(k);
                case 9 -> srandmember(k);
                case 10 -> diff.check("SMOVE " + k + " " + k2 + " " + m, () -> raw("SMOVE", k, k2, m),
                        () -> n(sets.smove(k, k2, b(m))));
                case 11 -> diff.check("SINTER " + String.join(" ", ks),
                        () -> Differential.unordered(redis.sinter(ks)), () -> Differential.unordered(sets.sinter(ks)));
                case 12 -> diff.check("SUNION " + String.join(" ", ks),
                        () -> Differential.unordered(redis.sunion(ks)), () -> Differential.unordered(sets.sunion(ks)));
                case 13 -> diff.check("SDIFF " + String.join(" ", ks),
                        () -> Differential.unordered(redis.sdiff(ks)), () -> Differential.unordered(sets.sdiff(ks)));
                case 14 -> diff.check("SINTERSTORE " + k + " " + String.join(" ", ks),
                        () -> raw("SINTERSTORE", concat(k, ks)), () -> sets.sinterstore(k, ks));
                case 15 -> diff.check("SUNIONSTORE " + k + " " + String.join(" ", ks),
                        () -> raw("SUNIONSTORE", concat(k, ks)), () -> sets.sunionstore(k, ks));
                case 16 -> diff.check("SDIFFSTORE " + k + " " + String.join(" ", ks),
                        () -> raw("SDIFFSTORE", concat(k, ks)), () -> sets.sdiffstore(k, ks));
                case 17 -> {
                    long limit = random.nextInt(5) - 1;
                    String[] args = concat(concat(Integer.toString(ks.length), ks), "LIMIT", Long.toString(limit));
                    diff.check("SINTERCARD " + String.join(" ", args), () -> raw("SINTERCARD", args),
                            () -> sets.sintercard(limit, ks));
                }
                case 18 -> sscan(k);
                default -> diff.check("TYPE " + k, () -> redis.type(k), () -> dictionary.keys().type(k).redisName());
            }
        }
        for (String k : new String[] {"s0", "s1", "s2", "s3"}) {
            diff.check("SMEMBERS " + k + " (final)", () -> Differential.unordered(redis.smembers(k)),
                    () -> Differential.unordered(sets.smembers(k)));
        }
        // The persistence seam: the write entries (SPOP as SREM of what it chose), replayed on an
        // empty Redis database, rebuild the same state.
        redis.select(1);
        try {
            for (WriteEntry entry : entries) {
                for (List<byte[]> command : entry.commands()) {
                    byte[][] args = command.subList(1, command.size()).toArray(new byte[0][]);
                    redis.sendCommand(Protocol.Command.valueOf(new String(command.get(0), StandardCharsets.US_ASCII)),
                            args);
                }
            }
            for (String k : new String[] {"s0", "s1", "s2", "s3", "str"}) {
                diff.check("TYPE " + k + " (replayed)", () -> redis.type(k), () -> dictionary.keys().type(k).redisName());
            }
            for (String k : new String[] {"s0", "s1", "s2", "s3"}) {
                diff.check("SMEMBERS " + k + " (replayed)", () -> Differential.unordered(redis.smembers(k)),
                        () -> Differential.unordered(sets.smembers(k)));
            }
        } finally {
            redis.select(0);
        }
        // And through the append-only file: reopened from it, the Dictionary holds the same content.
        replayed.assertReplayRebuildsTheSameState("seed " + seed);
        assertThat(diff.commandsRun()).as("seed %d: write commands the sequence must cover", seed)
                .contains("SADD", "SREM", "SPOP", "SMOVE", "SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE");
    }

    /** SPOP: same error class or same count; popped members were in Redis's set; then removed there too. */
    private void spop(String k) {
        long count = random.nextInt(6) - 1;
        List<String> before;
        try {
            before = Differential.unordered(redis.smembers(k));
        } catch (RuntimeException wrongType) {
            before = null;
        }
        List<String> expected = before;
        diff.check("SPOP " + k + " " + count + " (count and membership)", () -> {
            Object reply = raw("SPOP", k, Long.toString(count));
            return "ok";
        }, () -> {
            List<byte[]> popped = sets.spop(k, count);
            assertThat(popped).doesNotHaveDuplicates();
            List<String> names = Differential.unordered(popped);
            assertThat(expected).containsAll(names);
            assertThat(names).hasSize((int) Math.min(count, expected.size()));
            // Put Redis in the same state: restore what its own SPOP took, then remove ours.
            if (!names.isEmpty() || expected.size() > 0) {
                redis.del(k);
                List<String> kept = new ArrayList<>(expected);
                kept.removeAll(names);
                if (!kept.isEmpty()) {
                    redis.sadd(b(k), latin1ToBytes(kept));
                }
            }
            return "ok";
        });
    }

    private static byte[][] latin1ToBytes(List<String> latin1) {
        byte[][] out = new byte[latin1.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = latin1.get(i).getBytes(StandardCharsets.ISO_8859_1);
        }
        return out;
    }

    /** SRANDMEMBER: count semantics and membership checked against Redis's set. */
    private void srandmember(String k) {
        long count = random.nextInt(9) - 4;
        diff.check("SRANDMEMBER " + k + " " + count + " (size)", () -> {
            List<?> reply = (List<?>) raw("SRANDMEMBER", k, Long.toString(count));
            return (long) reply.size();
        }, () -> {
            List<byte[]> picked = sets.srandmember(k, count);
            Set<String> all = new HashSet<>(Differential.unordered(sets.smembers(k)));
            assertThat(all).containsAll(Differential.unordered(picked));
            if (count > 0) {
                assertThat(picked).doesNotHaveDuplicates();
            }
            return (long) picked.size();
        });
    }

    /** A full SSCAN with MATCH: the union of the pages equals Redis's. */
    private void sscan(String k) {
        String pattern = random.nextBoolean() ? "*" : "[a-c]*";
        diff.check("SSCAN " + k + " MATCH " + pattern + " (full)", () -> {
            Set<String> seen = new HashSet<>();
            String cursor = "0";
            do {
                List<?> reply = (List<?>) raw("SSCAN", k, cursor, "MATCH", pattern, "COUNT", "3");
                cursor = new String((byte[]) reply.get(0), StandardCharsets.US_ASCII);
                for (Object item : (List<?>) reply.get(1)) {
                    seen.add((String) Differential.normal(item));
                }
            } while (!cursor.equals("0"));
            return new java.util.TreeSet<>(seen);
        }, () -> {
            Set<String> seen = new HashSet<>();
            long cursor = 0;
            do {
                ScanPage<byte[]> page = sets.sscan(k, cursor, ScanArgs.DEFAULT.match(pattern).count(3));
                page.items().forEach(item -> seen.add((String) Differential.normal(item)));
                cursor = page.cursor();
            } while (cursor != 0);
            return new java.util.TreeSet<>(seen);
        });
    }
}
