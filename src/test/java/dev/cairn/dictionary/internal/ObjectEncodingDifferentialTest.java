package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.ZAddArgs;
import dev.cairn.dictionary.ZRange;
import dev.cairn.dictionary.ScoredMember;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ZRangeParams;

/**
 * OBJECT ENCODING, OBJECT REFCOUNT and TYPE against a real redis-server 7.0 with its default
 * thresholds: each scenario runs the same commands on both sides, walking a value up to a limit,
 * one past it and back down, and requires the same three answers after every step.
 */
class ObjectEncodingDifferentialTest {
    @RegisterExtension
    static final RedisServer REDIS = new RedisServer();

    private ReplayedDictionary replayed;
    private Dictionary dictionary;
    private Jedis redis;

    @BeforeEach
    void open() {
        replayed = new ReplayedDictionary(new ManualClock(System.currentTimeMillis()));
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

    private void same(String step, String key) {
        String redisEncoding;
        Long redisRefCount;
        if (redis.exists(key)) {
            redisEncoding = redis.objectEncoding(key);
            redisRefCount = redis.objectRefcount(key);
        } else {
            redisEncoding = null;
            redisRefCount = null;
        }
        assertThat(dictionary.keys().objectEncoding(key)).as(step + ": OBJECT ENCODING " + key).isEqualTo(redisEncoding);
        assertThat(dictionary.keys().objectRefCount(key)).as(step + ": OBJECT REFCOUNT " + key).isEqualTo(redisRefCount);
        assertThat(dictionary.keys().type(key).redisName()).as(step + ": TYPE " + key).isEqualTo(redis.type(key));
    }

    /** Runs a step on both sides and compares the key after it. */
    private void step(String step, String key, BiConsumer<Jedis, String> onRedis, BiConsumer<Dictionary, String> onDictionary) {
        onRedis.accept(redis, key);
        onDictionary.accept(dictionary, key);
        same(step, key);
    }

    @Test
    void stringsAcrossTheIntegerEmbstrAndRawLimits() {
        for (String value : List.of("0", "9999", "10000", "-1", "007", "+1", "1.5", "", "12345678901234567890",
                "9223372036854775807", "-9223372036854775808", "9223372036854775808", "x".repeat(44), "x".repeat(45),
                "x".repeat(1000))) {
            step("SET " + value, "s", (r, k) -> r.set(k, value), (d, k) -> d.strings().set(k, b(value)));
        }
        step("SET 9998", "n", (r, k) -> r.set(k, "9998"), (d, k) -> d.strings().set(k, b("9998")));
        for (int i = 0; i < 3; i++) {
            step("INCR", "n", (r, k) -> r.incr(k), (d, k) -> d.strings().incr(k));
        }
        step("MSET", "m", (r, k) -> r.mset(k, "42"), (d, k) -> d.strings().mset(Map.of(k, b("42"))));
        same("absent", "absent");
    }

    @Test
    void hashesPastTheEntryAndValueLimitsStayHashTables() {
        for (int i = 1; i <= ObjectEncodings.HASH_MAX_LISTPACK_ENTRIES + 1; i++) {
            String field = "f" + i;
            boolean check = i % 100 == 0 || i >= ObjectEncodings.HASH_MAX_LISTPACK_ENTRIES;
            redis.hset("h", field, "v");
            dictionary.hashes().hset("h", field, b("v"));
            if (check) {
                same("HSET field " + i, "h");
            }
        }
        for (int i = 1; i <= ObjectEncodings.HASH_MAX_LISTPACK_ENTRIES; i++) {
            redis.hdel("h", "f" + i);
            dictionary.hashes().hdel("h", "f" + i);
        }
        same("HDEL down to one field", "h");

        for (String value : List.of("v".repeat(64), "v".repeat(65), "short")) {
            step("HSET value of " + value.length(), "hv", (r, k) -> r.hset(k, "f", value),
                    (d, k) -> d.hashes().hset(k, "f", b(value)));
        }
        step("HSET field of 64 bytes", "hf", (r, k) -> r.hset(k, "é".repeat(32), "v"),
                (d, k) -> d.hashes().hset(k, "é".repeat(32), b("v")));
        step("HSET field of 66 bytes", "hf", (r, k) -> r.hset(k, "é".repeat(33), "v"),
                (d, k) -> d.hashes().hset(k, "é".repeat(33), b("v")));
        step("HINCRBY", "hi", (r, k) -> r.hincrBy(k, "x".repeat(70), 1), (d, k) -> d.hashes().hincrBy(k, "x".repeat(70), 1));
        step("HSETNX long", "hn", (r, k) -> r.hsetnx(k, "f", "v".repeat(80)),
                (d, k) -> d.hashes().hsetNx(k, "f", b("v".repeat(80))));

        // RESTORE chooses from the content: a shrunk hash table comes back as a listpack.
        step("RESTORE of a shrunk hash", "restored", (r, k) -> r.restore(k, 0, r.dump("h")),
                (d, k) -> d.keys().restore(k, 0, d.keys().dump("h")));
        step("RESTORE of a long value", "restored2", (r, k) -> r.restore(k, 0, r.dump("hv")),
                (d, k) -> d.keys().restore(k, 0, d.keys().dump("hv")));
        replayed.assertReplayRebuildsTheSameState("hashes");
    }

    @Test
    void setsPastTheIntsetLimitsStayHashTables() {
        for (int i = 1; i <= ObjectEncodings.SET_MAX_INTSET_ENTRIES + 1; i++) {
            String member = Integer.toString(i * 1000 - 70_000);
            redis.sadd("s", member);
            dictionary.sets().sadd("s", b(member));
            if (i % 100 == 0 || i >= ObjectEncodings.SET_MAX_INTSET_ENTRIES) {
                same("SADD member " + i, "s");
            }
        }
        for (int i = 2; i <= ObjectEncodings.SET_MAX_INTSET_ENTRIES + 1; i++) {
            String member = Integer.toString(i * 1000 - 70_000);
            redis.srem("s", member);
            dictionary.sets().srem("s", b(member));
        }
        same("SREM down to one member", "s");

        step("SADD 64-bit integers", "i", (r, k) -> r.sadd(k, "9223372036854775807", "-9223372036854775808"),
                (d, k) -> d.sets().sadd(k, b("9223372036854775807"), b("-9223372036854775808")));
        step("SADD a word", "i", (r, k) -> r.sadd(k, "a"), (d, k) -> d.sets().sadd(k, b("a")));
        step("SREM the word", "i", (r, k) -> r.srem(k, "a"), (d, k) -> d.sets().srem(k, b("a")));
        step("SADD 007", "z", (r, k) -> r.sadd(k, "007"), (d, k) -> d.sets().sadd(k, b("007")));
        step("SINTERSTORE of hash tables holding integers", "inter", (r, k) -> r.sinterstore(k, "i", "i"),
                (d, k) -> d.sets().sinterstore(k, "i", "i"));
        step("SUNIONSTORE", "union", (r, k) -> r.sunionstore(k, "i", "z"), (d, k) -> d.sets().sunionstore(k, "i", "z"));
        step("SMOVE an integer to a new set", "moved", (r, k) -> r.smove("i", k, "9223372036854775807"),
                (d, k) -> d.sets().smove("i", k, b("9223372036854775807")));
        replayed.assertReplayRebuildsTheSameState("sets");
    }

    @Test
    void sortedSetsPastTheListpackLimitsStaySkipLists() {
        for (int i = 1; i <= ObjectEncodings.ZSET_MAX_LISTPACK_ENTRIES + 1; i++) {
            redis.zadd("z", i, "m" + i);
            dictionary.sortedSets().zadd("z", i, b("m" + i));
            if (i % 50 == 0 || i >= ObjectEncodings.ZSET_MAX_LISTPACK_ENTRIES) {
                same("ZADD member " + i, "z");
            }
        }
        step("ZREMRANGEBYRANK down to one", "z", (r, k) -> r.zremrangeByRank(k, 1, -1),
                (d, k) -> d.sortedSets().zremrangebyrank(k, 1, -1));
        for (String member : List.of("m".repeat(64), "m".repeat(65), "short")) {
            step("ZADD member of " + member.length(), "zm", (r, k) -> r.zadd(k, 1, member),
                    (d, k) -> d.sortedSets().zadd(k, 1, b(member)));
        }
        step("ZREM the long member", "zm", (r, k) -> r.zrem(k, "m".repeat(65)),
                (d, k) -> d.sortedSets().zrem(k, b("m".repeat(65))));
        step("ZUNIONSTORE of a skip list with a small result", "u", (r, k) -> r.zunionstore(k, "z"),
                (d, k) -> d.sortedSets().zunionstore(k, "z"));
        step("ZRANGESTORE", "r", (r, k) -> r.zrangestore(k, "zm", ZRangeParams.zrangeParams(0, -1)),
                (d, k) -> d.sortedSets().zrangestore(k, "zm", ZRange.byRank(0, -1)));
        step("ZADD INCR", "zi", (r, k) -> r.zincrby(k, 2, "a"), (d, k) -> d.sortedSets().zincrby(k, 2, b("a")));
        step("ZADD with args", "za", (r, k) -> r.zadd(k, 1, "a"),
                (d, k) -> d.sortedSets().zadd(k, ZAddArgs.DEFAULT, new ScoredMember(b("a"), 1)));
        replayed.assertReplayRebuildsTheSameState("sorted sets");
    }

    @Test
    void listsAreQuicklistsAtEverySize() {
        step("RPUSH one", "l", (r, k) -> r.rpush(k, "a"), (d, k) -> d.lists().rpush(k, b("a")));
        for (int i = 0; i < 3; i++) {
            step("RPUSH 1000", "l", (r, k) -> r.rpush(k, "x".repeat(1000)), (d, k) -> d.lists().rpush(k, b("x".repeat(1000))));
        }
    }
}
