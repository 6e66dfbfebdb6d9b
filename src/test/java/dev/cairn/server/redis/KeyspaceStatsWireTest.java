package dev.cairn.server.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * INFO's keyspace counters against redis-server: keyspace_hits and keyspace_misses after each
 * command of every family (which commands count, and how many keys each counts), expired_keys
 * after keys expire lazily and in the background, the keyspace line's keys, expires and avg_ttl,
 * and CONFIG RESETSTAT. Both servers get the same commands over sockets.
 */
class KeyspaceStatsWireTest extends AgainstRedis {
    private static final long AWAIT_NANOS = 20_000_000_000L;

    private Cairn cairn;
    private RedisServer server;
    private Pair pair;

    @BeforeEach
    void start() throws IOException {
        cairn = Cairn.inMemory();
        server = RedisServer.start(cairn, RedisServerOptions.DEFAULT.withPort(0));
        pair = new Pair(redis.port(), server.port());
        pair.both("FLUSHALL");
        pair.both("CONFIG", "RESETSTAT");
    }

    @AfterEach
    void stop() throws IOException {
        pair.close();
        server.close();
        cairn.close();
    }

    /** The setup every command of {@link #eachCommandCountsAsRedisDoes} starts from. */
    private void seed() throws IOException {
        pair.both("FLUSHALL");
        pair.both("SET", "s", "hello");
        pair.both("SET", "n", "10");
        pair.both("HSET", "h", "f", "v", "g", "1");
        pair.both("RPUSH", "l", "a", "b", "c");
        pair.both("SADD", "st", "a", "b");
        pair.both("ZADD", "z", "1", "a", "2", "b");
        pair.both("SET", "weight_a", "3");
    }

    /** Commands whose reply is random or unordered: only their counts are compared. */
    private static final List<String> UNORDERED = List.of("RANDOMKEY", "SRANDMEMBER", "HRANDFIELD", "ZRANDMEMBER",
            "SMEMBERS", "SINTER", "SUNION", "SDIFF", "KEYS", "SCAN", "SSCAN", "HSCAN", "SPOP");

    /**
     * Every command against the same few keys, the counts compared one command at a time. MOVE is
     * left out: the Redis server builds it from DUMP, EXISTS and PTTL, which count as reads where
     * Redis's MOVE looks the key up as a write.
     */
    @Test
    void eachCommandCountsAsRedisDoes() throws IOException {
        String[][] commands = {
            {"GET", "s"}, {"GET", "missing"}, {"GET", "h"}, {"MGET", "s", "missing", "h", "s"}, {"STRLEN", "s"},
            {"STRLEN", "missing"}, {"GETRANGE", "s", "0", "2"}, {"SUBSTR", "s", "0", "1"}, {"GETEX", "s"},
            {"GETEX", "s", "PERSIST"}, {"GETDEL", "missing"}, {"GETDEL", "s"}, {"GETSET", "missing", "v"},
            {"SET", "s", "v", "GET"}, {"SET", "missing", "v", "GET"}, {"SET", "s", "v"}, {"SET", "s", "v", "NX"},
            {"SETNX", "s", "v"}, {"SETEX", "s", "100", "v"}, {"MSET", "s", "1", "t", "2"}, {"MSETNX", "s", "1"},
            {"INCR", "n"}, {"DECRBY", "n", "2"}, {"INCRBYFLOAT", "n", "1.5"}, {"INCRBYFLOAT", "missing", "1"},
            {"INCRBYFLOAT", "h", "x"}, {"HINCRBYFLOAT", "h", "f", "inf"},
            {"APPEND", "s", "x"}, {"SETRANGE", "s", "0", "H"}, {"LCS", "s", "missing"}, {"LCS", "s", "s", "LEN"},
            {"LCS", "h", "s"}, {"LCS", "s", "h", "IDX"}, {"LCS", "s", "missing", "LEN", "IDX"}, {"LCS", "h", "s", "FOO"},
            {"EXISTS", "s", "missing", "h", "s"}, {"TOUCH", "s", "missing"}, {"TYPE", "s"}, {"TYPE", "missing"},
            {"TTL", "s"}, {"PTTL", "missing"}, {"EXPIRETIME", "s"}, {"PEXPIRETIME", "missing"},
            {"OBJECT", "ENCODING", "s"}, {"OBJECT", "REFCOUNT", "missing"}, {"DUMP", "s"}, {"DUMP", "missing"},
            {"COPY", "s", "scopy"}, {"COPY", "missing", "scopy"}, {"COPY", "s", "h"}, {"RENAME", "s", "s2"},
            {"RENAMENX", "s", "h"}, {"DEL", "s", "missing"}, {"UNLINK", "s"}, {"EXPIRE", "s", "1000"},
            {"PERSIST", "s"}, {"PEXPIREAT", "missing", "1"}, {"RANDOMKEY"}, {"KEYS", "*"},
            {"SCAN", "0"}, {"DBSIZE"},
            {"HGET", "h", "f"}, {"HGET", "missing", "f"}, {"HGET", "s", "f"}, {"HMGET", "h", "f", "x"},
            {"HEXISTS", "h", "f"}, {"HLEN", "h"}, {"HKEYS", "h"}, {"HVALS", "h"}, {"HGETALL", "missing"},
            {"HSTRLEN", "h", "f"}, {"HRANDFIELD", "h"}, {"HRANDFIELD", "missing", "2"}, {"HSCAN", "h", "0"},
            {"HSET", "h", "x", "1"}, {"HSETNX", "h", "f", "2"}, {"HINCRBY", "h", "g", "1"},
            {"HINCRBYFLOAT", "h", "g", "0.5"}, {"HDEL", "h", "zz"}, {"HMSET", "h", "a", "b"},
            {"LLEN", "l"}, {"LLEN", "missing"}, {"LRANGE", "l", "0", "-1"}, {"LINDEX", "l", "0"},
            {"LPOS", "l", "b"}, {"LPUSH", "l", "x"}, {"LPUSHX", "missing", "x"}, {"LPOP", "l"},
            {"RPOP", "missing"}, {"LSET", "l", "0", "y"}, {"LINSERT", "l", "BEFORE", "a", "w"},
            {"LREM", "l", "0", "zz"}, {"LTRIM", "l", "0", "-1"}, {"LMOVE", "l", "l2", "LEFT", "RIGHT"},
            {"RPOPLPUSH", "missing", "l"}, {"LMPOP", "2", "missing", "l", "LEFT"},
            {"BLPOP", "missing", "l", "0"}, {"BLMOVE", "l", "l2", "LEFT", "LEFT", "0"},
            {"SMEMBERS", "st"}, {"SISMEMBER", "st", "a"}, {"SMISMEMBER", "st", "a", "z"}, {"SCARD", "missing"},
            {"SRANDMEMBER", "st"}, {"SSCAN", "st", "0"}, {"SINTER", "st", "missing", "st"},
            {"SINTER", "missing", "st"}, {"SUNION", "st", "missing"}, {"SDIFF", "st", "missing"},
            {"SDIFF", "missing", "st"}, {"SINTERCARD", "2", "st", "missing"}, {"SINTERSTORE", "d", "st", "st"},
            {"SUNIONSTORE", "d", "st", "missing"}, {"SDIFFSTORE", "d", "st"}, {"SMOVE", "st", "st2", "a"},
            {"SADD", "st", "c"}, {"SREM", "st", "zz"}, {"SPOP", "missing"},
            {"ZSCORE", "z", "a"}, {"ZMSCORE", "z", "a", "q"}, {"ZCARD", "z"}, {"ZCOUNT", "z", "0", "10"},
            {"ZLEXCOUNT", "z", "-", "+"}, {"ZRANGE", "z", "0", "-1"}, {"ZRANGEBYSCORE", "z", "0", "10"},
            {"ZREVRANGE", "missing", "0", "-1"}, {"ZRANGEBYLEX", "z", "-", "+"}, {"ZRANK", "z", "a"},
            {"ZREVRANK", "z", "b"}, {"ZRANDMEMBER", "z"}, {"ZSCAN", "z", "0"}, {"ZUNION", "2", "z", "missing"},
            {"ZINTER", "2", "z", "missing"}, {"ZDIFF", "2", "z", "missing"}, {"ZINTERCARD", "2", "z", "missing"},
            {"ZUNIONSTORE", "d", "2", "z", "missing"}, {"ZINTERSTORE", "d", "2", "z", "st"},
            {"ZDIFFSTORE", "d", "2", "z", "missing"}, {"ZRANGESTORE", "d", "z", "0", "-1"},
            {"ZRANGESTORE", "d", "missing", "0", "-1"}, {"ZADD", "z", "3", "c"}, {"ZINCRBY", "z", "1", "a"},
            {"ZPOPMIN", "missing"}, {"ZREM", "z", "zz"}, {"ZMPOP", "1", "z", "MIN"}, {"BZPOPMIN", "z", "0"},
            {"ZREMRANGEBYRANK", "z", "5", "6"},
            {"GETBIT", "s", "1"}, {"BITCOUNT", "s"}, {"BITCOUNT", "missing", "0", "1"}, {"BITCOUNT", "s", "0", "1", "BIT"},
            {"BITCOUNT", "s", "0", "x"}, {"BITCOUNT", "missing", "x"}, {"BITCOUNT", "h", "x"}, {"BITPOS", "s", "1"},
            {"BITPOS", "s", "1", "0", "-1", "BIT"}, {"BITPOS", "s", "0", "1"}, {"BITPOS", "missing", "1", "x"},
            {"BITPOS", "s", "1", "x"}, {"BITPOS", "h", "1", "0"},
            {"BITOP", "AND", "d", "s", "missing"}, {"BITFIELD", "s", "GET", "u8", "0"},
            {"BITFIELD", "s", "SET", "u8", "0", "1"}, {"BITFIELD_RO", "s", "GET", "u8", "0"},
            {"SETBIT", "s", "1", "1"},
            {"SORT", "l", "ALPHA"}, {"SORT", "l", "BY", "nosort", "ALPHA"}, {"SORT", "st", "BY", "weight_*", "ALPHA"},
            {"SORT", "l", "ALPHA", "GET", "h->f", "GET", "#"}, {"SORT", "l", "ALPHA", "STORE", "d"},
            {"SORT_RO", "missing"},
        };
        List<String> differences = new ArrayList<>();
        for (String[] command : commands) {
            seed();
            pair.both("CONFIG", "RESETSTAT");
            boolean compareReply = !UNORDERED.contains(command[0]);
            String replies = pair.send(compareReply, command);
            Map<String, String> redisInfo = pair.redisInfo("stats");
            Map<String, String> cairnInfo = pair.cairnInfo("stats");
            String expected = redisInfo.get("keyspace_hits") + "/" + redisInfo.get("keyspace_misses");
            String actual = cairnInfo.get("keyspace_hits") + "/" + cairnInfo.get("keyspace_misses");
            if (!expected.equals(actual) || replies != null) {
                differences.add(String.join(" ", command) + ": hits/misses redis " + expected + ", cairn " + actual
                        + (replies == null ? "" : "; " + replies));
            }
        }
        assertThat(differences).isEmpty();
    }

    /**
     * A seeded random sequence of reads and writes over a few keys of every type, replies compared
     * at each step, then the stats and keyspace lines: hits, misses, keys and keys with a deadline.
     */
    @Test
    void randomSequenceCountsAsRedisDoes() throws IOException {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        String[] keys = {"a", "b", "c", "d", "e"};
        for (int step = 0; step < 1500; step++) {
            String k = keys[random.nextInt(keys.length)];
            String other = keys[random.nextInt(keys.length)];
            String v = Integer.toString(random.nextInt(20));
            String[] command = switch (random.nextInt(24)) {
                case 0 -> new String[] {"SET", k, v};
                case 1 -> new String[] {"GET", k};
                case 2 -> new String[] {"MGET", k, other, "nothing"};
                case 3 -> new String[] {"EXISTS", k, other};
                case 4 -> new String[] {"DEL", k};
                case 5 -> new String[] {"HSET", k, v, v};
                case 6 -> new String[] {"HGET", k, v};
                case 7 -> new String[] {"HGETALL", k};
                case 8 -> new String[] {"RPUSH", k, v};
                case 9 -> new String[] {"LRANGE", k, "0", "-1"};
                case 10 -> new String[] {"SADD", k, v};
                case 11 -> new String[] {"SISMEMBER", k, v};
                case 12 -> new String[] {"ZADD", k, v, v};
                case 13 -> new String[] {"ZSCORE", k, v};
                case 14 -> new String[] {"TYPE", k};
                case 15 -> new String[] {"TTL", k};
                case 16 -> new String[] {"EXPIRE", k, Integer.toString(100 + random.nextInt(5000))};
                case 17 -> new String[] {"PERSIST", k};
                case 18 -> new String[] {"INCR", k};
                case 19 -> new String[] {"STRLEN", k};
                case 20 -> new String[] {"GETDEL", k};
                case 21 -> new String[] {"LLEN", k};
                case 22 -> new String[] {"SET", k, v, "EX", Integer.toString(100 + random.nextInt(5000))};
                default -> new String[] {"ZRANGE", k, "0", "-1", "WITHSCORES"};
            };
            // A hash's field order is not Redis's: HGETALL is compared by its counts only.
            String difference = pair.send(!command[0].equals("HGETALL"), command);
            assertThat(difference).as("seed %d, step %d: %s", seed, step, String.join(" ", command)).isNull();
        }
        Map<String, String> redisStats = pair.redisInfo("stats");
        Map<String, String> cairnStats = pair.cairnInfo("stats");
        for (String field : List.of("keyspace_hits", "keyspace_misses", "expired_keys", "evicted_keys")) {
            assertThat(cairnStats.get(field)).as("seed %d: %s", seed, field).isEqualTo(redisStats.get(field));
        }
        String redisLine = pair.redisInfo("keyspace").getOrDefault("db0", "");
        String cairnLine = pair.cairnInfo("keyspace").getOrDefault("db0", "");
        assertThat(withoutAverage(cairnLine)).as("seed %d: keyspace line", seed).isEqualTo(withoutAverage(redisLine));
    }

    /** Keys expire on access (a miss, and counted as expired) and in the background, as on Redis. */
    @Test
    void expiredKeysAreCountedAsRedisCountsThem() throws IOException {
        for (int i = 0; i < 10; i++) {
            pair.both("SET", "gone" + i, "v", "PX", "1");
        }
        pair.both("SET", "stays", "v", "EX", "1000");
        pair.both("SET", "plain", "v");
        // Let both remove the keys whose millisecond passed, in the background or below on access.
        awaitBoth(info -> info.getOrDefault("db0", "").startsWith("keys=2,expires=1,"), "keyspace");
        pair.send(true, "GET", "gone0");
        pair.send(true, "EXISTS", "gone1", "stays", "plain");
        Map<String, String> redisStats = pair.redisInfo("stats");
        Map<String, String> cairnStats = pair.cairnInfo("stats");
        assertThat(cairnStats.get("expired_keys")).isEqualTo(redisStats.get("expired_keys")).isEqualTo("10");
        assertThat(cairnStats.get("keyspace_hits")).isEqualTo(redisStats.get("keyspace_hits")).isEqualTo("2");
        assertThat(cairnStats.get("keyspace_misses")).isEqualTo(redisStats.get("keyspace_misses")).isEqualTo("2");
        assertThat(cairnStats.get("expired_stale_perc")).isEqualTo("0.00");

        pair.both("CONFIG", "RESETSTAT");
        for (String field : List.of("expired_keys", "keyspace_hits", "keyspace_misses")) {
            assertThat(pair.cairnInfo("stats").get(field)).as(field).isEqualTo(pair.redisInfo("stats").get(field))
                    .isEqualTo("0");
        }
        assertThat(cairn.dictionary().stats().expiredKeys()).isZero();
    }

    /**
     * avg_ttl: Redis estimates it from the keys its background expiry samples, as a moving average
     * that starts at 0 and moves a fiftieth of the way to each new sample, so it lags the keys
     * set; Cairn reports the exact mean time left. Both are positive and within the TTLs set.
     */
    @Test
    void averageTtlIsTheMeanTimeLeft() throws IOException {
        long[] seconds = {1000, 2000, 4500, 8000};
        long totalMs = 0;
        for (int i = 0; i < seconds.length; i++) {
            pair.both("SET", "t" + i, "v", "EX", Long.toString(seconds[i]));
            totalMs += seconds[i] * 1000;
        }
        pair.both("SET", "plain", "v");
        Map<String, String> redisKeyspace = awaitRedis(info -> averageTtl(info.getOrDefault("db0", "")) > 0,
                "keyspace");
        Map<String, String> cairnKeyspace = pair.cairnInfo("keyspace");
        long expectedMs = totalMs / seconds.length;
        assertThat(averageTtl(cairnKeyspace.get("db0"))).isBetween(expectedMs - 10_000, expectedMs);
        assertThat(averageTtl(redisKeyspace.get("db0"))).isBetween(1L, 8_000_000L);
        assertThat(withoutAverage(cairnKeyspace.get("db0"))).isEqualTo(withoutAverage(redisKeyspace.get("db0")))
                .isEqualTo("keys=5,expires=4");
        assertThat(cairn.dictionary().stats().keysWithDeadline()).isEqualTo(4);
        pair.both("PERSIST", "t3");
        pair.both("DEL", "t2");
        assertThat(averageTtl(pair.cairnInfo("keyspace").get("db0"))).isBetween(1_500_000L - 10_000, 1_500_000L);
    }

    private static long averageTtl(String line) {
        int at = line.indexOf("avg_ttl=");
        return at < 0 ? -1 : Long.parseLong(line.substring(at + "avg_ttl=".length()));
    }

    private static String withoutAverage(String line) {
        int at = line.indexOf(",avg_ttl=");
        return at < 0 ? line : line.substring(0, at);
    }

    private void awaitBoth(Predicate<Map<String, String>> condition, String section) throws IOException {
        awaitRedis(condition, section);
        long deadline = System.nanoTime() + AWAIT_NANOS;
        while (!condition.test(pair.cairnInfo(section))) {
            assertThat(System.nanoTime()).as("Cairn's INFO %s: %s", section, pair.cairnInfo(section))
                    .isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    private Map<String, String> awaitRedis(Predicate<Map<String, String>> condition, String section)
            throws IOException {
        long deadline = System.nanoTime() + AWAIT_NANOS;
        Map<String, String> info = pair.redisInfo(section);
        while (!condition.test(info)) {
            assertThat(System.nanoTime()).as("Redis's INFO %s: %s", section, info).isLessThan(deadline);
            Thread.onSpinWait();
            info = pair.redisInfo(section);
        }
        return info;
    }

    /** One connection to each server. */
    private static final class Pair implements AutoCloseable {
        final Socket toRedis;
        final Socket toCairn;
        final RespReplyReader fromRedis;
        final RespReplyReader fromCairn;

        Pair(int redisPort, int cairnPort) throws IOException {
            toRedis = new Socket(InetAddress.getLoopbackAddress(), redisPort);
            toCairn = new Socket(InetAddress.getLoopbackAddress(), cairnPort);
            toRedis.setSoTimeout(30_000);
            toCairn.setSoTimeout(30_000);
            fromRedis = new RespReplyReader(new BufferedInputStream(toRedis.getInputStream()));
            fromCairn = new RespReplyReader(new BufferedInputStream(toCairn.getInputStream()));
        }

        /** Sends to both; null if the replies are the same (or not compared), else both replies. */
        String send(boolean compare, String... command) throws IOException {
            byte[] request = request(command);
            toRedis.getOutputStream().write(request);
            toCairn.getOutputStream().write(request);
            String expected = WireDifferential.printable(fromRedis.readRaw());
            String actual = WireDifferential.printable(fromCairn.readRaw());
            return !compare || expected.equals(actual) ? null : "redis replied " + expected + ", cairn " + actual;
        }

        /** Sends to both and requires the same reply. */
        void both(String... command) throws IOException {
            assertThat(send(true, command)).as(String.join(" ", command)).isNull();
        }

        Map<String, String> redisInfo(String section) throws IOException {
            toRedis.getOutputStream().write(request("INFO", section));
            return fields(fromRedis.readRaw());
        }

        Map<String, String> cairnInfo(String section) throws IOException {
            toCairn.getOutputStream().write(request("INFO", section));
            return fields(fromCairn.readRaw());
        }

        private static Map<String, String> fields(byte[] reply) {
            Map<String, String> fields = new LinkedHashMap<>();
            for (String line : new String(reply, StandardCharsets.UTF_8).split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && !line.startsWith("$")) {
                    fields.put(line.substring(0, colon), line.substring(colon + 1));
                }
            }
            return fields;
        }

        private static byte[] request(String... command) {
            RespWriter writer = new RespWriter(2);
            writer.writeArrayLength(command.length);
            for (String arg : command) {
                writer.writeBulk(arg.getBytes(StandardCharsets.UTF_8));
            }
            return writer.toByteArray();
        }

        @Override
        public void close() throws IOException {
            toRedis.close();
            toCairn.close();
        }
    }
}
