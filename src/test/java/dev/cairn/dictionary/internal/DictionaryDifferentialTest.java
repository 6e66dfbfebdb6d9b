package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.ExpireCondition;
import dev.cairn.dictionary.Expiration;
import dev.cairn.dictionary.KeyValue;
import dev.cairn.dictionary.KeyValues;
import dev.cairn.dictionary.LcsMatch;
import dev.cairn.dictionary.LcsResult;
import dev.cairn.dictionary.ListEnd;
import dev.cairn.dictionary.ListInsert;
import dev.cairn.dictionary.LposArgs;
import dev.cairn.dictionary.ScanArgs;
import dev.cairn.dictionary.ScanPage;
import dev.cairn.dictionary.SetArgs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.args.ListPosition;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.LPosParams;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Differential tests: long seeded random sequences of key, string, hash and list commands run
 * on a real Redis 7 and on the Dictionary, requiring identical replies and error classes after
 * every step. The Dictionary's manual clock starts at the wall-clock time of the test and stays
 * there; deadlines are hours away, so the two sides differ in time only by the test's duration,
 * which TTL comparisons tolerate. The Dictionary keeps an append-only file (on a memory file
 * system): after each sequence it is reopened from that file and must hold the same content, so
 * every write command the generators run is also checked through logging and replay. The seed is
 * printed on failure (and read from {@code -Dcairn.seed} to replay).
 */
class DictionaryDifferentialTest {
    @RegisterExtension
    static final RedisServer REDIS = new RedisServer();

    private static final int STEPS = Integer.getInteger("cairn.fuzz.iterations", 200) * 10;
    private static final long TTL_TOLERANCE_MS = 120_000;
    private static final String[] VALUES = {
        "", "0", "1", "-1", "42", "-17", "007", "+3", " 5", "3.5", "-0.25", "1e3", "abc", "hello world",
        "9223372036854775807", "-9223372036854775808", "9223372036854775806", "0.1", "inf", "nan",
        "12345678901234567890123", "-0", "5.", ".5", "1E2",
        // At and past the ends of the 80-bit range INCRBYFLOAT computes in.
        "1e-5000", "1e-4940", "1.9e-4951", "1.8e-4951", "1e4932", "1.2e4932", "1e20000000", "1e-20000000", "0e999999999999",
    };
    private static final long[] INCREMENTS = {0, 1, -1, 5, -100, 1_000_000, Long.MAX_VALUE, Long.MIN_VALUE + 1};
    private static final double[] FLOAT_INCREMENTS = {0.1, -0.25, 1.5, 3.0e3, 1e-5, 100.0, -3.0, 0.3, 2.5e10, 1e20, -1e-3};

    private final long seed = Long.getLong("cairn.seed", System.nanoTime());
    private final Random random = new Random(seed);
    private final Differential diff = new Differential(seed);
    private ManualClock clock;
    private ReplayedDictionary dictionary;
    private Jedis redis;
    private long startMs;

    @BeforeEach
    void open() {
        startMs = System.currentTimeMillis();
        clock = new ManualClock(startMs);
        dictionary = new ReplayedDictionary(clock);
        redis = REDIS.client();
    }

    @AfterEach
    void close() {
        dictionary.close();
    }

    // ---------------------------------------------------------------- generators

    private String key() {
        return "k" + random.nextInt(6);
    }

    private String field() {
        // A two-byte character, so that MATCH patterns tell bytes from characters.
        return random.nextInt(6) == 0 ? "π" : "f" + random.nextInt(5);
    }

    private String value() {
        if (random.nextInt(4) == 0) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(6); i > 0; i--) {
                text.append((char) ('a' + random.nextInt(3)));
            }
            return text.toString();
        }
        return VALUES[random.nextInt(VALUES.length)];
    }

    private long index() {
        return random.nextInt(13) - 6;
    }

    private static byte[] b(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static List<String> strings(List<byte[]> values) {
        if (values == null) {
            return null;
        }
        List<String> texts = new ArrayList<>();
        values.forEach(v -> texts.add(s(v)));
        return texts;
    }

    private static long n(boolean flag) {
        return flag ? 1 : 0;
    }

    private Dictionary d() {
        return dictionary.dictionary();
    }

    private static final BiPredicate<Object, Object> TTL_CLOSE = (expected, actual) -> {
        long e = (Long) expected;
        long a = (Long) actual;
        if (e < 0 || a < 0) {
            return e == a;
        }
        return Math.abs(e - a) <= TTL_TOLERANCE_MS;
    };

    private static final BiPredicate<Object, Object> TTL_SECONDS_CLOSE = (expected, actual) -> {
        long e = (Long) expected;
        long a = (Long) actual;
        if (e < 0 || a < 0) {
            return e == a;
        }
        return Math.abs(e - a) <= TTL_TOLERANCE_MS / 1000;
    };

    private ExpireCondition condition() {
        return ExpireCondition.values()[random.nextInt(ExpireCondition.values().length)];
    }

    /** The command with the condition's options appended, as Redis takes them. */
    private Object expireOnRedis(Protocol.Command command, String k, long when, ExpireCondition condition) {
        List<String> args = new ArrayList<>(List.of(k, Long.toString(when)));
        args.addAll(condition.options());
        return redis.sendCommand(command, args.toArray(new String[0]));
    }

    // ---------------------------------------------------------------- commands shared by all sequences

    private void keyCommand() {
        String k = key();
        String k2 = key();
        switch (random.nextInt(18)) {
            case 16 -> {
                boolean replace = random.nextBoolean();
                diff.check("COPY " + k + " " + k2 + (replace ? " REPLACE" : ""),
                        () -> replace ? redis.copy(k, k2, true) : redis.copy(k, k2, false),
                        () -> d().keys().copy(k, k2, replace));
                // Relative deadlines differ by the test's duration; absolute ones are copied exactly.
                diff.check("PEXPIRETIME " + k2 + " (after COPY)", () -> redis.pexpireTime(k2),
                        () -> d().keys().pexpireTime(k2), TTL_CLOSE);
            }
            case 17 -> diff.check("TOUCH " + k + " " + k2 + " " + k, () -> redis.touch(k, k2, k),
                    () -> d().keys().touch(k, k2, k));
            case 0 -> diff.check("DEL " + k + " " + k2, () -> redis.del(k, k2), () -> d().keys().del(k, k2));
            case 1 -> diff.check("EXISTS " + k + " " + k2 + " " + k, () -> redis.exists(k, k2, k),
                    () -> d().keys().exists(k, k2, k));
            case 2 -> diff.check("TYPE " + k, () -> redis.type(k), () -> d().keys().type(k).redisName());
            case 3 -> diff.check("RENAME " + k + " " + k2, () -> redis.rename(k, k2), () -> {
                d().keys().rename(k, k2);
                return "OK";
            });
            case 4 -> diff.check("RENAMENX " + k + " " + k2, () -> redis.renamenx(k, k2),
                    () -> n(d().keys().renameNx(k, k2)));
            case 5 -> {
                long seconds = random.nextInt(5) == 0 ? -random.nextInt(2) : 10_000L * (1 + random.nextInt(3));
                // Relative deadlines drift apart by the test's duration, so conditions that
                // compare deadlines (GT, LT) run on absolute ones only (PEXPIREAT below).
                ExpireCondition c = random.nextBoolean() ? ExpireCondition.NX
                        : random.nextBoolean() ? ExpireCondition.XX : ExpireCondition.ALWAYS;
                diff.check("EXPIRE " + k + " " + seconds + " " + c,
                        () -> expireOnRedis(Protocol.Command.EXPIRE, k, seconds, c),
                        () -> n(d().keys().expire(k, seconds, c)));
            }
            case 6 -> {
                long at = startMs + 3_600_000L * (1 + random.nextInt(4)) + 1_800_000L;
                ExpireCondition c = condition();
                if (random.nextBoolean()) {
                    diff.check("PEXPIREAT " + k + " " + at + " " + c, () -> expireOnRedis(Protocol.Command.PEXPIREAT, k, at, c),
                            () -> n(d().keys().pexpireAt(k, at, c)));
                } else {
                    // Whole seconds, so that the deadline is the same as one PEXPIREAT may set.
                    long atSeconds = at / 1000 - random.nextInt(2) * 1800;
                    diff.check("EXPIREAT " + k + " " + atSeconds + " " + c,
                            () -> expireOnRedis(Protocol.Command.EXPIREAT, k, atSeconds, c),
                            () -> n(d().keys().expireAt(k, atSeconds, c)));
                }
            }
            case 7 -> diff.check("PERSIST " + k, () -> redis.persist(k), () -> n(d().keys().persist(k)));
            case 8 -> diff.check("PTTL " + k, () -> redis.pttl(k), () -> d().keys().pttl(k), TTL_CLOSE);
            case 9 -> diff.check("TTL " + k, () -> redis.ttl(k), () -> d().keys().ttl(k), TTL_SECONDS_CLOSE);
            case 10 -> {
                String pattern = new String[] {"*", "k[0-2]", "k?", "k[^1]*", "x*", "k\\1", "*[3-5]"}[random.nextInt(7)];
                diff.check("KEYS " + pattern, () -> Differential.unordered(redis.keys(pattern)),
                        () -> Differential.unordered(d().keys().keys(pattern)));
            }
            case 11 -> diff.check("DBSIZE", () -> redis.dbSize(), () -> d().keys().dbSize());
            case 12 -> diff.check("SCAN (full)", this::redisScanAll, this::dictionaryScanAll);
            case 13 -> diff.check("RANDOMKEY", () -> redis.randomKey() == null ? "none" : "some",
                    () -> d().keys().randomKey() == null ? "none" : "some");
            case 14 -> {
                if (random.nextInt(3) == 0) {
                    // Deadlines in the last 500 ms of the range, where rounding to seconds may overflow.
                    long at = Long.MAX_VALUE - random.nextInt(1000);
                    diff.check("PEXPIREAT " + k + " " + at + " (edge)", () -> redis.pexpireAt(k, at),
                            () -> n(d().keys().pexpireAt(k, at, ExpireCondition.ALWAYS)));
                    diff.check("EXPIRETIME " + k + " (edge)", () -> redis.expireTime(k), () -> d().keys().expireTime(k));
                    return;
                }
                long seconds = random.nextBoolean() ? -5 : 1_000_000_000_000_000L;
                diff.check("EXPIRE " + k + " " + seconds + " (edge)", () -> redis.expire(k, seconds),
                        () -> n(d().keys().expire(k, seconds)));
            }
            default -> {
                if (random.nextInt(10) == 0) {
                    diff.check("FLUSHALL", () -> redis.flushAll(), () -> {
                        d().keys().flush();
                        return "OK";
                    });
                } else {
                    diff.check("EXPIRETIME " + k, () -> redis.expireTime(k), () -> d().keys().expireTime(k),
                            TTL_SECONDS_CLOSE);
                }
            }
        }
    }

    private List<String> redisScanAll() {
        List<String> all = new ArrayList<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        ScanParams params = new ScanParams().count(1 + random.nextInt(3));
        do {
            ScanResult<String> page = redis.scan(cursor, params);
            all.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!"0".equals(cursor));
        return Differential.unordered(new java.util.TreeSet<>(all));
    }

    private List<String> dictionaryScanAll() {
        List<String> all = new ArrayList<>();
        long cursor = 0;
        ScanArgs args = ScanArgs.DEFAULT.count(1 + random.nextInt(3));
        do {
            ScanPage<String> page = d().keys().scan(cursor, args);
            all.addAll(page.items());
            cursor = page.cursor();
        } while (cursor != 0);
        return Differential.unordered(new java.util.TreeSet<>(all));
    }

    // ---------------------------------------------------------------- strings

    private void stringCommand() {
        String k = key();
        String v = value();
        switch (random.nextInt(21)) {
            case 20 -> lcs(k, key(), 0);
            case 0, 1 -> diff.check("GET " + k, () -> redis.get(k), () -> s(d().strings().get(k)));
            case 2 -> diff.check("SET " + k + " " + v, () -> redis.set(k, v), () -> {
                d().strings().set(k, v);
                return "OK";
            });
            case 3, 4 -> setWithOptions(k, v);
            case 5 -> diff.check("SETNX " + k, () -> redis.setnx(k, v), () -> n(d().strings().setNx(k, b(v))));
            case 6 -> diff.check("GETSET " + k, () -> redis.sendCommand(Protocol.Command.GETSET, k, v), () -> s(d().strings().getSet(k, b(v))));
            case 7 -> diff.check("GETDEL " + k, () -> redis.getDel(k), () -> s(d().strings().getDel(k)));
            case 8 -> getEx(k);
            case 9 -> {
                String k2 = key();
                diff.check("MGET " + k + " " + k2, () -> redis.mget(k, k2), () -> strings(d().strings().mget(k, k2)));
            }
            case 10 -> {
                String k2 = key();
                String v2 = value();
                boolean nx = random.nextBoolean();
                Map<String, byte[]> pairs = new LinkedHashMap<>();
                pairs.put(k, b(v));
                pairs.put(k2, b(v2));
                if (nx) {
                    diff.check("MSETNX " + k + " " + k2, () -> redis.msetnx(k, v, k2, v2), () -> n(d().strings().msetNx(pairs)));
                } else {
                    diff.check("MSET " + k + " " + k2, () -> redis.mset(k, v, k2, v2), () -> {
                        d().strings().mset(pairs);
                        return "OK";
                    });
                }
            }
            case 11 -> {
                long by = INCREMENTS[random.nextInt(INCREMENTS.length)];
                diff.check("INCRBY " + k + " " + by, () -> redis.incrBy(k, by), () -> d().strings().incrBy(k, by));
            }
            case 12 -> {
                long by = INCREMENTS[random.nextInt(INCREMENTS.length)];
                diff.check("DECRBY " + k + " " + by, () -> redis.decrBy(k, by), () -> d().strings().decrBy(k, by));
            }
            case 13 -> diff.check("INCR " + k, () -> redis.incr(k), () -> d().strings().incr(k));
            case 14 -> {
                double by = FLOAT_INCREMENTS[random.nextInt(FLOAT_INCREMENTS.length)];
                diff.check("INCRBYFLOAT " + k + " " + by, () -> redis.incrByFloat(k, by),
                        () -> d().strings().incrByFloat(k, by));
                diff.check("GET " + k + " (after INCRBYFLOAT)", () -> redis.get(k), () -> s(d().strings().get(k)));
            }
            case 15 -> diff.check("APPEND " + k + " " + v, () -> redis.append(k, v), () -> d().strings().append(k, b(v)));
            case 16 -> diff.check("STRLEN " + k, () -> redis.strlen(k), () -> d().strings().strlen(k));
            case 17 -> {
                long start = index();
                long end = index();
                diff.check("GETRANGE " + k + " " + start + " " + end, () -> redis.getrange(k, start, end),
                        () -> s(d().strings().getRange(k, start, end)));
            }
            case 18 -> {
                long offset = random.nextInt(8) - (random.nextInt(10) == 0 ? 3 : 0);
                diff.check("SETRANGE " + k + " " + offset + " " + v, () -> redis.setrange(k, offset, v),
                        () -> d().strings().setRange(k, offset, b(v)));
            }
            default -> {
                // Past 512 MiB, also where offset + length overflows a long.
                long offset = new long[] {536_870_912L, Long.MAX_VALUE - 1, Long.MAX_VALUE}[random.nextInt(3)];
                diff.check("SETRANGE " + k + " " + offset + " xy (too big)", () -> redis.setrange(k, offset, "xy"),
                        () -> d().strings().setRange(k, offset, b("xy")));
            }
        }
    }

    private void setWithOptions(String k, String v) {
        SetParams params = SetParams.setParams();
        SetArgs args = SetArgs.DEFAULT;
        StringBuilder text = new StringBuilder("SET " + k + " " + v);
        switch (random.nextInt(3)) {
            case 0 -> {
                params.nx();
                args = args.nx();
                text.append(" NX");
            }
            case 1 -> {
                params.xx();
                args = args.xx();
                text.append(" XX");
            }
            default -> {
            }
        }
        switch (random.nextInt(6)) {
            case 0 -> {
                long seconds = random.nextInt(6) == 0 ? 0 : 10_000L * (1 + random.nextInt(3));
                params.ex(seconds);
                args = args.with(Expiration.seconds(seconds));
                text.append(" EX ").append(seconds);
            }
            case 1 -> {
                long millis = 15_000_000L;
                params.px(millis);
                args = args.with(Expiration.millis(millis));
                text.append(" PX ").append(millis);
            }
            case 2 -> {
                long at = startMs + 7_200_000L;
                params.pxAt(at);
                args = args.with(Expiration.atMillis(at));
                text.append(" PXAT ").append(at);
            }
            case 3 -> {
                params.keepTtl();
                args = args.with(Expiration.keepTtl());
                text.append(" KEEPTTL");
            }
            default -> {
            }
        }
        SetArgs finalArgs = args;
        if (random.nextBoolean()) {
            SetArgs withGet = finalArgs.withGet();
            diff.check(text + " GET", () -> redis.setGet(k, v, params), () -> s(d().strings().set(k, b(v), withGet).oldValue()));
        } else {
            diff.check(text.toString(), () -> redis.set(k, v, params),
                    () -> d().strings().set(k, b(v), finalArgs).written() ? "OK" : null);
        }
    }

    /** One of LCS, LCS LEN and LCS IDX [MINMATCHLEN n] [WITHMATCHLEN] on two keys. */
    private void lcs(String k, String k2, int step) {
        String text = "LCS " + k + " " + k2 + (step > 0 ? " (lcs step " + step + ")" : "");
        switch (random.nextInt(3)) {
            case 0 -> diff.check(text, () -> redis.sendCommand(Protocol.Command.LCS, k, k2),
                    () -> d().strings().lcs(k, k2));
            case 1 -> diff.check(text + " LEN", () -> redis.sendCommand(Protocol.Command.LCS, k, k2, "LEN"),
                    () -> d().strings().lcsLen(k, k2));
            default -> {
                long minMatchLen = random.nextInt(5) - 1;
                boolean withMatchLen = random.nextBoolean();
                List<String> args = new ArrayList<>(List.of(k, k2, "IDX"));
                if (minMatchLen != 0 || random.nextBoolean()) {
                    args.addAll(List.of("MINMATCHLEN", Long.toString(minMatchLen)));
                }
                if (withMatchLen) {
                    args.add("WITHMATCHLEN");
                }
                diff.check(text + " " + args, () -> redis.sendCommand(Protocol.Command.LCS, args.toArray(new String[0])),
                        () -> {
                            LcsResult result = d().strings().lcsIdx(k, k2, minMatchLen);
                            List<Object> matches = new ArrayList<>();
                            for (LcsMatch match : result.matches()) {
                                List<Object> entry = new ArrayList<>(List.of(List.of(match.start1(), match.end1()),
                                        List.of(match.start2(), match.end2())));
                                if (withMatchLen) {
                                    entry.add(match.length());
                                }
                                matches.add(entry);
                            }
                            return List.of("matches", matches, "len", result.length());
                        });
            }
        }
    }

    @Test
    void lcsFindsTheSubsequenceRedisFinds() {
        // Longer strings over a small alphabet: many longest subsequences tie, so the walk back
        // through the table must break ties as Redis does.
        for (int i = 0; i < STEPS / 4; i++) {
            for (String k : new String[] {"a", "b"}) {
                StringBuilder value = new StringBuilder();
                for (int n = random.nextInt(40); n > 0; n--) {
                    value.append((char) ('a' + random.nextInt(random.nextBoolean() ? 2 : 4)));
                }
                redis.set(k, value.toString());
                d().strings().set(k, value.toString());
            }
            lcs("a", random.nextInt(10) == 0 ? "missing" : "b", i);
        }
        redis.hset("h", "f", "v");
        d().hashes().hset("h", "f", b("v"));
        lcs("a", "h", -1);
    }

    private void getEx(String k) {
        switch (random.nextInt(4)) {
            case 0 -> diff.check("GETEX " + k, () -> redis.getEx(k, GetExParams.getExParams()),
                    () -> s(d().strings().getEx(k, null)));
            case 1 -> diff.check("GETEX " + k + " PERSIST", () -> redis.getEx(k, GetExParams.getExParams().persist()),
                    () -> s(d().strings().getEx(k, Expiration.persist())));
            case 2 -> {
                long seconds = random.nextInt(4) == 0 ? -1 : 20_000;
                diff.check("GETEX " + k + " EX " + seconds, () -> redis.getEx(k, GetExParams.getExParams().ex(seconds)),
                        () -> s(d().strings().getEx(k, Expiration.seconds(seconds))));
            }
            default -> {
                long at = random.nextBoolean() ? startMs - 1000 : startMs + 9_000_000L;
                diff.check("GETEX " + k + " PXAT " + at, () -> redis.getEx(k, GetExParams.getExParams().pxAt(at)),
                        () -> s(d().strings().getEx(k, Expiration.atMillis(at))));
            }
        }
    }

    // ---------------------------------------------------------------- hashes

    private void hashCommand() {
        String k = key();
        String f = field();
        String v = value();
        switch (random.nextInt(17)) {
            case 0, 1 -> diff.check("HSET " + k + " " + f + " " + v, () -> redis.hset(k, f, v),
                    () -> n(d().hashes().hset(k, f, b(v))));
            case 2 -> {
                String f2 = field();
                Map<String, String> fields = new LinkedHashMap<>();
                fields.put(f, v);
                fields.put(f2, v + "x");
                Map<String, byte[]> bytes = new LinkedHashMap<>();
                fields.forEach((field, value) -> bytes.put(field, b(value)));
                diff.check("HSET " + k + " " + fields, () -> redis.hset(k, fields), () -> d().hashes().hset(k, bytes));
            }
            case 3 -> diff.check("HSETNX " + k + " " + f, () -> redis.hsetnx(k, f, v), () -> n(d().hashes().hsetNx(k, f, b(v))));
            case 4 -> diff.check("HGET " + k + " " + f, () -> redis.hget(k, f), () -> s(d().hashes().hget(k, f)));
            case 5 -> {
                String f2 = field();
                diff.check("HMGET " + k + " " + f + " " + f2, () -> redis.hmget(k, f, f2),
                        () -> strings(d().hashes().hmget(k, f, f2)));
            }
            case 6 -> {
                String f2 = field();
                diff.check("HDEL " + k + " " + f + " " + f2, () -> redis.hdel(k, f, f2), () -> d().hashes().hdel(k, f, f2));
            }
            case 7 -> diff.check("HEXISTS " + k + " " + f, () -> redis.hexists(k, f) ? 1L : 0L,
                    () -> n(d().hashes().hexists(k, f)));
            case 8 -> diff.check("HLEN " + k, () -> redis.hlen(k), () -> d().hashes().hlen(k));
            case 9 -> diff.check("HKEYS " + k, () -> Differential.unordered(redis.hkeys(k)),
                    () -> Differential.unordered(d().hashes().hkeys(k)));
            case 10 -> diff.check("HVALS " + k, () -> Differential.unordered(redis.hvals(k)),
                    () -> Differential.unordered(strings(d().hashes().hvals(k))));
            case 11 -> diff.check("HGETALL " + k, () -> redis.hgetAll(k), () -> {
                Map<String, String> all = new LinkedHashMap<>();
                d().hashes().hgetAll(k).forEach((field, value) -> all.put(field, s(value)));
                return all;
            });
            case 12 -> {
                long by = INCREMENTS[random.nextInt(INCREMENTS.length)];
                diff.check("HINCRBY " + k + " " + f + " " + by, () -> redis.hincrBy(k, f, by), () -> d().hashes().hincrBy(k, f, by));
            }
            case 13 -> {
                double by = FLOAT_INCREMENTS[random.nextInt(FLOAT_INCREMENTS.length)];
                diff.check("HINCRBYFLOAT " + k + " " + f + " " + by, () -> redis.hincrByFloat(k, f, by),
                        () -> d().hashes().hincrByFloat(k, f, by));
                diff.check("HGET " + k + " " + f + " (after HINCRBYFLOAT)", () -> redis.hget(k, f), () -> s(d().hashes().hget(k, f)));
            }
            case 14 -> diff.check("HSTRLEN " + k + " " + f, () -> redis.hstrlen(k, f), () -> d().hashes().hstrlen(k, f));
            case 15 -> {
                long count = random.nextInt(11) - 5;
                // Random picks differ; compare their number and that they are fields of the hash.
                diff.check("HRANDFIELD " + k + " " + count, () -> randomFieldsShape(redis.hrandfield(k, count), redis.hkeys(k)),
                        () -> randomFieldsShape(d().hashes().hrandField(k, count), d().hashes().hkeys(k)));
            }
            default -> {
                String pattern = new String[] {"*", "f?", "?", "??", "[π]?", "*[^0-2]"}[random.nextInt(6)];
                hscan(k, pattern);
            }
        }
    }

    private void hscan(String k, String pattern) {
        diff.check("HSCAN " + k + " MATCH " + pattern + " (full)", () -> {
            Map<String, String> all = new LinkedHashMap<>();
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<Map.Entry<String, String>> page = redis.hscan(k, cursor,
                        new ScanParams().count(2).match(pattern));
                page.getResult().forEach(e -> all.put(e.getKey(), e.getValue()));
                cursor = page.getCursor();
            } while (!"0".equals(cursor));
            return all;
        }, () -> {
            Map<String, String> all = new LinkedHashMap<>();
            long cursor = 0;
            do {
                ScanPage<Map.Entry<String, byte[]>> page = d().hashes().hscan(k, cursor,
                        ScanArgs.DEFAULT.count(2).match(pattern));
                page.items().forEach(e -> all.put(e.getKey(), s(e.getValue())));
                cursor = page.cursor();
            } while (cursor != 0);
            return all;
        });
    }

    private static String randomFieldsShape(List<String> picked, java.util.Collection<String> fields) {
        boolean allKnown = picked.stream().allMatch(fields::contains);
        return picked.size() + (allKnown ? " known" : " UNKNOWN");
    }

    // ---------------------------------------------------------------- lists

    private void listCommand() {
        String k = key();
        String v = value().isEmpty() ? "e" : value();
        switch (random.nextInt(20)) {
            case 0, 1 -> {
                String v2 = value();
                diff.check("LPUSH " + k + " " + v + " " + v2, () -> redis.lpush(k, v, v2), () -> d().lists().lpush(k, v, v2));
            }
            case 2, 3 -> {
                String v2 = value();
                diff.check("RPUSH " + k + " " + v + " " + v2, () -> redis.rpush(k, v, v2), () -> d().lists().rpush(k, v, v2));
            }
            case 4 -> diff.check("LPUSHX " + k, () -> redis.lpushx(k, v), () -> d().lists().lpushx(k, b(v)));
            case 5 -> diff.check("RPUSHX " + k, () -> redis.rpushx(k, v), () -> d().lists().rpushx(k, b(v)));
            case 6 -> diff.check("LPOP " + k, () -> redis.lpop(k), () -> s(d().lists().lpop(k)));
            case 7 -> diff.check("RPOP " + k, () -> redis.rpop(k), () -> s(d().lists().rpop(k)));
            case 8 -> {
                int count = random.nextInt(4);
                boolean left = random.nextBoolean();
                diff.check((left ? "LPOP " : "RPOP ") + k + " " + count,
                        () -> left ? redis.lpop(k, count) : redis.rpop(k, count),
                        () -> strings(left ? d().lists().lpop(k, count) : d().lists().rpop(k, count)));
            }
            case 9 -> diff.check("LLEN " + k, () -> redis.llen(k), () -> d().lists().llen(k));
            case 10, 11 -> {
                long start = index();
                long stop = index();
                diff.check("LRANGE " + k + " " + start + " " + stop, () -> redis.lrange(k, start, stop),
                        () -> strings(d().lists().lrange(k, start, stop)));
            }
            case 12 -> {
                long index = index();
                diff.check("LINDEX " + k + " " + index, () -> redis.lindex(k, index), () -> s(d().lists().lindex(k, index)));
            }
            case 13 -> {
                long index = index();
                diff.check("LSET " + k + " " + index + " " + v, () -> redis.lset(k, index, v), () -> {
                    d().lists().lset(k, index, b(v));
                    return "OK";
                });
            }
            case 14 -> {
                String pivot = value();
                boolean before = random.nextBoolean();
                diff.check("LINSERT " + k + (before ? " BEFORE " : " AFTER ") + pivot + " " + v,
                        () -> redis.linsert(k, before ? ListPosition.BEFORE : ListPosition.AFTER, pivot, v),
                        () -> d().lists().linsert(k, before ? ListInsert.BEFORE : ListInsert.AFTER, b(pivot), b(v)));
            }
            case 15 -> {
                long count = random.nextInt(5) - 2;
                String target = value();
                diff.check("LREM " + k + " " + count + " " + target, () -> redis.lrem(k, count, target),
                        () -> d().lists().lrem(k, count, b(target)));
            }
            case 16 -> {
                long start = index();
                long stop = index();
                diff.check("LTRIM " + k + " " + start + " " + stop, () -> redis.ltrim(k, start, stop), () -> {
                    d().lists().ltrim(k, start, stop);
                    return "OK";
                });
            }
            case 17 -> {
                if (random.nextBoolean()) {
                    lpos(k);
                } else {
                    lmpop(k, key(), random.nextBoolean());
                }
            }
            case 18 -> {
                String k2 = key();
                ListEnd from = random.nextBoolean() ? ListEnd.LEFT : ListEnd.RIGHT;
                ListEnd to = random.nextBoolean() ? ListEnd.LEFT : ListEnd.RIGHT;
                diff.check("LMOVE " + k + " " + k2 + " " + from + " " + to,
                        () -> redis.lmove(k, k2, ListDirection.valueOf(from.name()), ListDirection.valueOf(to.name())),
                        () -> s(d().lists().lmove(k, k2, from, to)));
            }
            default -> {
                // BLPOP on keys that may hold data, with a timeout that never needs to pass when
                // there is data; when there is none both sides wait the minimum and answer nil.
                String k2 = key();
                diff.check("BLPOP " + k + " " + k2 + " 0.01", () -> redis.blpop(0.01, k, k2), () -> {
                    try {
                        KeyValue popped = d().lists().blpop(Duration.ofMillis(10), k, k2);
                        return popped == null ? null : List.of(popped.key(), s(popped.value()));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                });
            }
        }
    }

    /** LMPOP or BLMPOP (a short timeout, so it answers nil when there is nothing) on two keys. */
    private void lmpop(String k, String k2, boolean blocking) {
        ListEnd end = random.nextBoolean() ? ListEnd.LEFT : ListEnd.RIGHT;
        long count = random.nextInt(4) - (random.nextInt(10) == 0 ? 1 : 0);
        boolean withCount = count != 1 || random.nextBoolean();
        List<String> words = new ArrayList<>(blocking ? List.of("0.01") : List.of());
        words.addAll(List.of("2", k, k2, end.name()));
        if (withCount) {
            words.addAll(List.of("COUNT", Long.toString(count)));
        }
        Protocol.Command command = blocking ? Protocol.Command.BLMPOP : Protocol.Command.LMPOP;
        diff.check(command + " " + words, () -> redis.sendCommand(command, words.toArray(new String[0])), () -> {
            KeyValues got;
            try {
                got = blocking ? d().lists().blmpop(Duration.ofMillis(10), end, count, k, k2)
                        : withCount ? d().lists().lmpop(end, count, k, k2) : d().lists().lmpop(end, k, k2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return got == null ? null : List.of(got.key(), got.values());
        });
    }

    private void lpos(String k) {
        String target = value();
        long rank = random.nextInt(7) - 3;
        long maxLen = random.nextInt(4) == 0 ? -1 : random.nextInt(4);
        boolean withCount = random.nextBoolean();
        long count = random.nextInt(4) - (random.nextInt(8) == 0 ? 2 : 0);
        LPosParams params = LPosParams.lPosParams().rank((int) rank).maxlen((int) maxLen);
        String text = "LPOS " + k + " " + target + " RANK " + rank + " MAXLEN " + maxLen + (withCount ? " COUNT " + count : "");
        diff.check(text, () -> withCount ? redis.lpos(k, target, params, count) : redis.lpos(k, target, params), () -> {
            LposArgs args = new LposArgs(rank, maxLen);
            return withCount ? d().lists().lpos(k, b(target), args, count) : d().lists().lpos(k, b(target), args);
        });
    }

    // ---------------------------------------------------------------- the sequences

    private void runSequence(Runnable typeCommand, String... covered) {
        for (int i = 0; i < STEPS; i++) {
            if (random.nextInt(4) == 0) {
                keyCommand();
            } else if (random.nextInt(8) == 0) {
                // Another type on the same keys, so WRONGTYPE paths are exercised.
                switch (random.nextInt(3)) {
                    case 0 -> stringCommand();
                    case 1 -> hashCommand();
                    default -> listCommand();
                }
            } else {
                typeCommand.run();
            }
        }
        diff.check("KEYS * (final)", () -> Differential.unordered(redis.keys("*")),
                () -> Differential.unordered(d().keys().keys("*")));
        dictionary.assertReplayRebuildsTheSameState("seed " + seed);
        assertThat(diff.commandsRun()).as("seed %d: write commands the sequence must cover", seed)
                .containsAll(List.of(covered));
    }

    @Test
    void expireOptionsAreCombinedAndRefusedAsRedisDoes() {
        String[] names = {"NX", "XX", "GT", "LT"};
        for (String k : new String[] {"persistent", "volatile"}) {
            for (int flags = 0; flags < 16; flags++) {
                for (long delta : new long[] {-600_000, 600_000}) {
                    redis.set(k, "v");
                    d().strings().set(k, "v");
                    long deadline = startMs + 3_600_000;
                    if (k.equals("volatile")) {
                        redis.pexpireAt(k, deadline);
                        d().keys().pexpireAt(k, deadline, ExpireCondition.ALWAYS);
                    }
                    List<String> args = new ArrayList<>(List.of(k, Long.toString(deadline + delta)));
                    for (int i = 0; i < 4; i++) {
                        if ((flags & 1 << i) != 0) {
                            args.add(names[i]);
                        }
                    }
                    Object expected;
                    try {
                        expected = redis.sendCommand(Protocol.Command.PEXPIREAT, args.toArray(new String[0]));
                    } catch (redis.clients.jedis.exceptions.JedisDataException e) {
                        expected = e.getMessage();
                    }
                    int f = flags;
                    Object actual;
                    try {
                        ExpireCondition c = ExpireCondition.of((f & 1) != 0, (f & 2) != 0, (f & 4) != 0, (f & 8) != 0);
                        assertThat(c.options()).as("options of %s", args).containsExactlyElementsOf(args.subList(2, args.size()));
                        actual = n(d().keys().pexpireAt(k, deadline + delta, c));
                    } catch (IllegalArgumentException e) {
                        actual = "ERR " + e.getMessage();
                    }
                    assertThat(actual).as("PEXPIREAT %s", args).isEqualTo(expected);
                    assertThat(d().keys().pexpireTime(k)).as("deadline after PEXPIREAT %s", args)
                            .isEqualTo(redis.pexpireTime(k));
                }
            }
        }
        dictionary.assertReplayRebuildsTheSameState("expire options");
    }

    @Test
    void keysBehaveAsRedis() {
        runSequence(() -> {
            if (random.nextBoolean()) {
                stringCommand();
            } else {
                keyCommand();
            }
        }, "DEL", "RENAME", "RENAMENX", "COPY", "EXPIRE", "PEXPIREAT", "EXPIREAT", "PERSIST", "SET", "MSET");
    }

    @Test
    void stringsBehaveAsRedis() {
        runSequence(this::stringCommand, "SET", "SETNX", "GETSET", "GETDEL", "GETEX", "MSET", "MSETNX", "INCRBY",
                "DECRBY", "INCR", "INCRBYFLOAT", "APPEND", "SETRANGE");
    }

    @Test
    void hashesBehaveAsRedis() {
        runSequence(this::hashCommand, "HSET", "HSETNX", "HDEL", "HINCRBY", "HINCRBYFLOAT");
    }

    @Test
    void listsBehaveAsRedis() {
        runSequence(this::listCommand, "LPUSH", "RPUSH", "LPUSHX", "RPUSHX", "LPOP", "RPOP", "LSET", "LINSERT", "LREM",
                "LTRIM", "LMOVE", "BLPOP", "LMPOP", "BLMPOP");
    }
}
