package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cairn.dictionary.BusyKeyException;
import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.DumpPayloadException;
import dev.cairn.dictionary.KeyType;
import dev.cairn.dictionary.RestoreArgs;
import dev.cairn.dictionary.ZRange;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.RestoreParams;
import redis.clients.jedis.resps.Tuple;

/**
 * DUMP and RESTORE against a real redis-server 7.0, in both directions: values of every type and
 * size are built by the same commands on both sides; Redis's DUMP is restored into the dictionary
 * and the dictionary's DUMP into Redis, and each copy must hold what its source holds. Wrong
 * payloads must get the error Redis gives them, with Redis's exact text, and change nothing.
 */
class DumpRestoreDifferentialTest {
    @RegisterExtension
    static final RedisServer REDIS = new RedisServer();

    private final ManualClock clock = new ManualClock(System.currentTimeMillis());
    private ReplayedDictionary replayed;
    private Dictionary dictionary;
    private Jedis redis;

    @BeforeEach
    void open() {
        replayed = new ReplayedDictionary(clock);
        dictionary = replayed.dictionary();
        redis = REDIS.client();
    }

    @AfterEach
    void close() {
        replayed.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A value built on both sides by one sequence of commands. */
    private record Value(String name, BiConsumer<Jedis, byte[]> onRedis, BiConsumer<Dictionary, String> onDictionary) {
    }

    private static Value string(String name, byte[] value) {
        return new Value(name, (r, k) -> r.set(k, value), (d, k) -> d.strings().set(k, value));
    }

    private static Value list(String name, List<byte[]> elements) {
        byte[][] array = elements.toArray(new byte[0][]);
        return new Value(name, (r, k) -> r.rpush(k, array), (d, k) -> d.lists().rpush(k, array));
    }

    private static Value set(String name, List<byte[]> members) {
        byte[][] array = members.toArray(new byte[0][]);
        return new Value(name, (r, k) -> r.sadd(k, array), (d, k) -> d.sets().sadd(k, array));
    }

    private static Value hash(String name, Map<String, byte[]> fields) {
        return new Value(name, (r, k) -> fields.forEach((f, v) -> r.hset(k, b(f), v)),
                (d, k) -> d.hashes().hset(k, fields));
    }

    private static Value zset(String name, Map<String, Double> scores) {
        return new Value(name, (r, k) -> scores.forEach((m, s) -> r.zadd(k, s, b(m))),
                (d, k) -> scores.forEach((m, s) -> d.sortedSets().zadd(k, s, b(m))));
    }

    private static List<Value> values() {
        Random random = new Random(42);
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        byte[] noise = new byte[3000];
        random.nextBytes(noise);
        List<Value> values = new ArrayList<>();
        for (String s : List.of("", "hello", "0", "-1", "127", "-128", "128", "32767", "-32768", "32768",
                "2147483647", "-2147483648", "2147483648", "99999999999", "9223372036854775807",
                "-9223372036854775808", "007", "+5", "1.5", "a".repeat(20), "a".repeat(21), "x".repeat(44),
                "x".repeat(45), "abcdefghij".repeat(100), "ab".repeat(50_000))) {
            values.add(string("string '" + (s.length() > 30 ? s.length() + " chars" : s) + "'", b(s)));
        }
        values.add(string("binary bytes", binary));
        values.add(string("random bytes", noise));

        values.add(list("small list", List.of(b("a"), b("1"), b("-70000"), b("1099511627776"), binary)));
        List<byte[]> longList = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            longList.add(i % 3 == 0 ? b(Integer.toString(i * 7919 - 10_000_000)) : b("element-" + i));
        }
        values.add(list("list of 3000 over several nodes", longList));
        values.add(list("list of large elements", List.of(noise, b("x".repeat(10_000)), b("y"), noise)));

        values.add(set("intset of small integers", List.of(b("1"), b("2"), b("-3"))));
        values.add(set("intset of 32-bit integers", List.of(b("1"), b("100000"), b("-2147483648"))));
        values.add(set("intset of 64-bit integers", List.of(b("1"), b("9223372036854775807"), b("-5000000000"))));
        List<byte[]> manyIntegers = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            manyIntegers.add(b(Integer.toString(i * 13)));
        }
        values.add(set("set of 600 integers", manyIntegers));
        values.add(set("set of strings", List.of(b("a"), b("b"), b("1"), binary, b(""))));

        values.add(hash("small hash", Map.of("f", b("v"), "n", b("12"), "neg", b("-4096"), "é", binary)));
        Map<String, byte[]> bigHash = new TreeMap<>();
        for (int i = 0; i < 700; i++) {
            bigHash.put("field:" + i, b(i % 2 == 0 ? Integer.toString(i) : "value " + i));
        }
        values.add(hash("hash of 700 fields", bigHash));
        values.add(hash("hash with a long value", Map.of("f", b("v".repeat(65)), "g", b("w"))));
        values.add(hash("hash with a long compressible value", Map.of("f", b("abc".repeat(1000)))));

        values.add(zset("small sorted set", Map.of("a", 1.0, "b", 2.5, "c", -0.125, "12", 12.0, "d", 1e300)));
        values.add(zset("sorted set with infinities", Map.of("lo", Double.NEGATIVE_INFINITY,
                "hi", Double.POSITIVE_INFINITY, "mid", 0.0)));
        Map<String, Double> bigZset = new TreeMap<>();
        for (int i = 0; i < 300; i++) {
            bigZset.put("member-" + i, i * 1.1 - 100);
        }
        values.add(zset("sorted set of 300", bigZset));
        values.add(zset("sorted set with a long member", Map.of("m".repeat(100), 3.0, "n", 0.1)));
        return values;
    }

    @Test
    void redisDumpsRestoreIntoTheDictionaryAndTheDictionarysDumpsIntoRedis() {
        for (Value value : values()) {
            redis.flushAll();
            dictionary.keys().flush();
            value.onRedis().accept(redis, b("source"));
            value.onDictionary().accept(dictionary, "source");
            assertThat(dictionary(dictionary, "source")).as(value.name() + ": built alike")
                    .isEqualTo(redis(redis, "source"));

            byte[] fromRedis = redis.dump(b("source"));
            dictionary.keys().restore("from-redis", 0, fromRedis);
            assertThat(dictionary(dictionary, "from-redis")).as(value.name() + ": Redis's DUMP restored here")
                    .isEqualTo(redis(redis, "source"));

            byte[] fromDictionary = dictionary.keys().dump("source");
            assertThat(redis.restore(b("from-cairn"), 0, fromDictionary)).isEqualTo("OK");
            assertThat(redis(redis, "from-cairn")).as(value.name() + ": the dictionary's DUMP restored in Redis")
                    .isEqualTo(dictionary(dictionary, "source"));
            assertThat(redis.dump(b("from-cairn"))).as(value.name() + ": Redis's DUMP of it restores here too")
                    .satisfies(payload -> {
                        dictionary.keys().restore("round-trip", 0, payload);
                        assertThat(dictionary(dictionary, "round-trip")).isEqualTo(dictionary(dictionary, "source"));
                    });
        }
        replayed.assertReplayRebuildsTheSameState("after the restores");
    }

    @Test
    void dumpOfAMissingKeyIsNull() {
        assertThat(dictionary.keys().dump("absent")).isNull();
        assertThat(redis.dump(b("absent"))).isNull();
    }

    @Test
    void wrongPayloadsGetRedissErrorsAndChangeNothing() {
        redis.set("source", "a value long enough to matter");
        byte[] good = redis.dump(b("source"));
        redis.set("target", "before");
        dictionary.strings().set("target", b("before"));

        byte[] flipped = good.clone();
        flipped[3] ^= 1;
        byte[] truncated = Arrays.copyOf(good, good.length - 1);
        byte[] tooShort = Arrays.copyOf(good, 9);
        byte[] newer = withFooter(Arrays.copyOf(good, good.length - DumpFormat.FOOTER_SIZE), 11);
        byte[] older = withFooter(Arrays.copyOf(good, good.length - DumpFormat.FOOTER_SIZE), 9);
        // Valid footers around values that cannot be read.
        byte[] pastTheEnd = withFooter(new byte[] {0, 0x3F, 'a'}, 10);
        byte[] stream = withFooter(new byte[] {15, 0}, 10);
        byte[] emptySet = withFooter(new byte[] {2, 0}, 10);
        byte[] duplicate = withFooter(new byte[] {2, 2, 1, 'a', 1, 'a'}, 10);
        byte[] badLzf = withFooter(new byte[] {0, (byte) 0xC3, 2, 10, 1, 'a'}, 10);

        for (byte[] payload : List.of(flipped, truncated, tooShort, newer, pastTheEnd, stream, emptySet, duplicate,
                badLzf)) {
            String redisError = redisError(() -> redis.restore(b("target"), 0, payload, RestoreParams.restoreParams()
                    .replace()));
            Throwable thrown = catchThrowable(() -> dictionary.keys().restore("target", 0, payload,
                    RestoreArgs.DEFAULT.withReplace()));
            assertThat(thrown).isInstanceOf(DumpPayloadException.class);
            assertThat(((DumpPayloadException) thrown).redisError()).isEqualTo(redisError);
            assertThat(dictionary.strings().getString("target")).isEqualTo("before");
            assertThat(redis.get("target")).isEqualTo("before");
        }
        assertThat(catchThrowable(() -> dictionary.keys().restore("target", 0, newer, RestoreArgs.DEFAULT
                .withReplace()))).hasMessageContaining("RDB version 11");

        // An older RDB version is fine.
        dictionary.keys().restore("target", 0, older, RestoreArgs.DEFAULT.withReplace());
        redis.restore(b("target"), 0, older, RestoreParams.restoreParams().replace());
        assertThat(dictionary.strings().getString("target")).isEqualTo(redis.get("target"))
                .isEqualTo("a value long enough to matter");
    }

    @Test
    void anExistingKeyWithoutReplaceIsBusyAndChecksComeInRedissOrder() {
        byte[] payload = dictionary.keys().dump("absent");
        assertThat(payload).isNull();
        dictionary.strings().set("k", b("old"));
        redis.set("k", "old");
        byte[] good = redis.dump(b("k"));
        byte[] bad = Arrays.copyOf(good, 3);

        String busy = redisError(() -> redis.restore(b("k"), 0, bad));
        assertThatThrownBy(() -> dictionary.keys().restore("k", 0, bad)).isInstanceOf(BusyKeyException.class)
                .satisfies(e -> assertThat(((BusyKeyException) e).redisError()).isEqualTo(busy));
        assertThat(busy).isEqualTo(BusyKeyException.REDIS_ERROR);

        String negative = redisError(() -> redis.restore(b("k"), -1, bad, RestoreParams.restoreParams().replace()));
        assertThatThrownBy(() -> dictionary.keys().restore("k", -1, bad, RestoreArgs.DEFAULT.withReplace()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(negative.substring("ERR ".length()));
        assertThat(dictionary.strings().getString("k")).isEqualTo("old");
    }

    @Test
    void ttlAndAbsoluteTtlSetTheDeadlineAndAPastDeadlineStoresNothing() {
        dictionary.strings().set("s", b("value"));
        byte[] payload = dictionary.keys().dump("s");
        long now = clock.millis();

        dictionary.keys().restore("relative", 5000, payload);
        assertThat(dictionary.keys().pttl("relative")).isEqualTo(5000);
        dictionary.keys().restore("absolute", now + 7000, payload, RestoreArgs.DEFAULT.withAbsoluteTtl());
        assertThat(dictionary.keys().pexpireTime("absolute")).isEqualTo(now + 7000);
        dictionary.keys().restore("relative", 0, payload, RestoreArgs.DEFAULT.withReplace());
        assertThat(dictionary.keys().pttl("relative")).isEqualTo(-1);

        // A deadline already passed: nothing is stored; with REPLACE the existing key is deleted.
        dictionary.keys().restore("past", now, payload, RestoreArgs.DEFAULT.withAbsoluteTtl());
        assertThat(dictionary.keys().exists("past")).isZero();
        dictionary.keys().restore("absolute", 1, payload, RestoreArgs.DEFAULT.withAbsoluteTtl().withReplace());
        assertThat(dictionary.keys().exists("absolute")).isZero();
        // A relative ttl whose sum wraps is in the past too, as in Redis.
        dictionary.keys().restore("wrapped", Long.MAX_VALUE, payload);
        assertThat(dictionary.keys().exists("wrapped")).isZero();
        redis.set("s", "value");
        redis.restore(b("past"), 1, redis.dump(b("s")), RestoreParams.restoreParams().absTtl());
        assertThat(redis.exists("past")).isFalse();

        clock.advance(5000);
        assertThat(dictionary.keys().exists("relative")).isOne();
        replayed.assertReplayRebuildsTheSameState("after restores with deadlines");
    }

    @Test
    void idleTimeAndFrequencyAreValidatedAsRedisValidatesThem() {
        assertThatThrownBy(() -> new RestoreArgs(false, false, -2, -1)).hasMessage("Invalid IDLETIME value, must be >= 0");
        assertThatThrownBy(() -> new RestoreArgs(false, false, -1, 256))
                .hasMessage("Invalid FREQ value, must be >= 0 and <= 255");
        assertThatThrownBy(() -> new RestoreArgs(false, false, 5, 5)).isInstanceOf(IllegalArgumentException.class);
        dictionary.strings().set("s", b("v"));
        dictionary.keys().restore("t", 0, dictionary.keys().dump("s"), new RestoreArgs(false, false, 100, -1));
        assertThat(dictionary.strings().getString("t")).isEqualTo("v");
    }

    @Test
    void aRestoreInsideAFailedTransactionIsUndone() {
        dictionary.strings().set("s", b("v"));
        byte[] payload = dictionary.keys().dump("s");
        assertThatThrownBy(() -> dictionary.transaction(tx -> {
            tx.keys().restore("t", 0, payload);
            tx.keys().restore("t", 0, payload);
            return null;
        })).isInstanceOf(BusyKeyException.class);
        assertThat(dictionary.keys().exists("t")).isZero();
    }

    @Test
    void theLoggedFormIsARedisCommandWithTheSameValueAndDeadline() {
        List<WriteEntry> entries = new ArrayList<>();
        replayed.close();
        replayed = new ReplayedDictionary(clock, entries::add);
        dictionary = replayed.dictionary();
        dictionary.sets().sadd("s", b("x"), b("1"));
        byte[] payload = dictionary.keys().dump("s");
        entries.clear();
        clock.set(System.currentTimeMillis());
        dictionary.keys().restore("t", 60_000, payload);
        assertThat(entries).hasSize(1);
        List<byte[]> logged = entries.get(0).commands().get(0);
        assertThat(text(logged.get(0))).isEqualTo("RESTORE");
        assertThat(text(logged.get(2))).isEqualTo(Long.toString(clock.millis() + 60_000));
        assertThat(text(logged.get(4)) + " " + text(logged.get(5))).isEqualTo("REPLACE ABSTTL");

        redis.sendCommand(Protocol.Command.RESTORE, logged.subList(1, logged.size())
                .toArray(new byte[0][]));
        assertThat(redis(redis, "t")).isEqualTo(dictionary(dictionary, "t"));
        assertThat(redis.pexpireTime("t")).isEqualTo(dictionary.keys().pexpireTime("t"));
        replayed.assertReplayRebuildsTheSameState("after a logged RESTORE");
    }

    private static byte[] withFooter(byte[] body, int version) {
        byte[] payload = Arrays.copyOf(body, body.length + DumpFormat.FOOTER_SIZE);
        payload[body.length] = (byte) version;
        payload[body.length + 1] = (byte) (version >>> 8);
        long crc = Crc64.update(0, payload, 0, body.length + 2);
        for (int i = 0; i < 8; i++) {
            payload[body.length + 2 + i] = (byte) (crc >>> (8 * i));
        }
        return payload;
    }

    private static String redisError(Runnable command) {
        try {
            command.run();
        } catch (JedisDataException e) {
            return e.getMessage();
        }
        throw new AssertionError("Redis accepted the command");
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "null" : new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** A canonical form of a key's value in Redis: type, then the content with unordered parts sorted. */
    static String redis(Jedis redis, String key) {
        byte[] k = b(key);
        String type = redis.type(k);
        switch (type) {
            case "string":
                return type + " " + text(redis.get(k));
            case "list": {
                List<String> items = new ArrayList<>();
                redis.lrange(k, 0, -1).forEach(e -> items.add(text(e)));
                return type + " " + items;
            }
            case "set": {
                TreeSet<String> members = new TreeSet<>();
                redis.smembers(k).forEach(m -> members.add(text(m)));
                return type + " " + members;
            }
            case "hash": {
                TreeMap<String, String> fields = new TreeMap<>();
                redis.hgetAll(k).forEach((f, v) -> fields.put(text(f), text(v)));
                return type + " " + fields;
            }
            case "zset": {
                List<String> entries = new ArrayList<>();
                for (Tuple t : redis.zrangeWithScores(k, 0, -1)) {
                    entries.add(text(t.getBinaryElement()) + "=" + t.getScore());
                }
                return type + " " + entries;
            }
            default:
                return type;
        }
    }

    /** The same canonical form of a key's value in the dictionary. */
    static String dictionary(Dictionary d, String key) {
        KeyType type = d.keys().type(key);
        switch (type) {
            case STRING:
                return "string " + text(d.strings().get(key));
            case LIST: {
                List<String> items = new ArrayList<>();
                d.lists().lrange(key, 0, -1).forEach(e -> items.add(text(e)));
                return "list " + items;
            }
            case SET: {
                TreeSet<String> members = new TreeSet<>();
                d.sets().smembers(key).forEach(m -> members.add(text(m)));
                return "set " + members;
            }
            case HASH: {
                TreeMap<String, String> fields = new TreeMap<>();
                d.hashes().hgetAll(key).forEach((f, v) -> fields.put(text(b(f)), text(v)));
                return "hash " + fields;
            }
            case ZSET: {
                List<String> entries = new ArrayList<>();
                d.sortedSets().zrange(key, ZRange.byRank(0, -1)).forEach(e -> entries.add(text(e.member()) + "="
                        + e.score()));
                return "zset " + entries;
            }
            default:
                return "none";
        }
    }
}
