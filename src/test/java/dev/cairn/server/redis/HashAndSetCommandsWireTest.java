package dev.cairn.server.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.Cairn;
import dev.cairn.dictionary.BinaryKeys;
import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.command.CommandFlag;
import dev.cairn.dictionary.command.CommandSpec;
import dev.cairn.dictionary.command.CommandTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hash and set commands against redis-server, reply bytes compared. Where Redis's order is
 * undefined (HGETALL, SMEMBERS, SUNION, ...) the elements are compared; scans are run to cursor
 * 0 on both sides and the union of their pages compared; the random commands (SPOP, SRANDMEMBER,
 * HRANDFIELD) are compared by the shape of their reply, Cairn's picks are checked against the
 * set or hash, and SPOP's differing picks are undone on the Cairn side so both stay equal.
 */
class HashAndSetCommandsWireTest extends AgainstRedis {
    private static final List<String> HASH_COMMANDS = List.of("hset", "hsetnx", "hmset", "hget", "hmget", "hdel",
            "hexists", "hlen", "hkeys", "hvals", "hgetall", "hincrby", "hincrbyfloat", "hstrlen", "hrandfield", "hscan");
    private static final List<String> SET_COMMANDS = List.of("sadd", "srem", "smembers", "sismember", "smismember",
            "scard", "spop", "srandmember", "smove", "sinter", "sintercard", "sunion", "sdiff", "sinterstore",
            "sunionstore", "sdiffstore", "sscan");
    private static final byte[] BINARY = {(byte) 0xff, 0, '\r', '\n'};

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void fixedHashCasesMatchRedis(int protocol) throws IOException {
        try (WireDifferential d = new WireDifferential(redis, 0, protocol)) {
            d.check("SET", "str", "x");
            d.check("HSET", "h", "a", "1");
            d.check("HSET", "h", "a", "2", "b", "3", "a", "4");
            d.check("HSET", "h", "c");
            d.check("HSET", "str", "c");
            d.check("HSET", "str", "c", "1");
            d.check("HSET", "h");
            d.check("HMSET", "h", "d", "5", "e", "6");
            d.check("HMSET", "h", "d");
            d.check("HMSET", "str", "d", "1");
            d.check("HSETNX", "h", "a", "9");
            d.check("HSETNX", "h", "z", "9");
            d.check("HSETNX", "str", "z", "9");
            d.check("HSETNX", "h", "z");
            d.check("HGET", "h", "a");
            d.check("HGET", "h", "nope");
            d.check("HGET", "nokey", "a");
            d.check("HGET", "str", "a");
            d.check("HMGET", "h", "a", "nope", "b", "a");
            d.check("HMGET", "nokey", "a", "b");
            d.check("HMGET", "str", "a");
            d.check("HMGET", "h");
            d.check("HEXISTS", "h", "a");
            d.check("HEXISTS", "h", "nope");
            d.check("HEXISTS", "nokey", "a");
            d.check("HEXISTS", "str", "a");
            d.check("HLEN", "h");
            d.check("HLEN", "nokey");
            d.check("HLEN", "str");
            d.check("HSTRLEN", "h", "a");
            d.check("HSTRLEN", "h", "nope");
            d.check("HSTRLEN", "str", "a");
            d.checkUnordered("HKEYS", "h");
            d.checkUnordered("HVALS", "h");
            d.checkUnordered("HGETALL", "h");
            d.check("HKEYS", "nokey");
            d.check("HVALS", "nokey");
            d.check("HGETALL", "nokey");
            d.check("HKEYS", "str");
            d.check("HVALS", "str");
            d.check("HGETALL", "str");
            d.check("HDEL", "h", "a", "a", "nope");
            d.check("HDEL", "nokey", "a");
            d.check("HDEL", "str", "a");
            d.check("HDEL", "h");
            d.check("HINCRBY", "h", "n", "5");
            d.check("HINCRBY", "h", "n", "-7");
            d.check("HINCRBY", "h", "n", "x");
            d.check("HINCRBY", "str", "n", "x");
            d.check("HINCRBY", "str", "n", "1");
            d.check("HINCRBY", "h", "b", "1");
            d.check("HSET", "h", "t", "abc", "big", "9223372036854775807", "sp", " 1", "z0", "007");
            d.check("HINCRBY", "h", "t", "1");
            d.check("HINCRBY", "h", "sp", "1");
            d.check("HINCRBY", "h", "z0", "1");
            d.check("HINCRBY", "h", "big", "1");
            d.check("HINCRBY", "h", "big", "0");
            d.check("HINCRBY", "h", "n", "9223372036854775808");
            d.check("HINCRBY", "h", "n", "-9223372036854775808");
            d.check("HINCRBY", "h", "n", "-9223372036854775807");
            d.check("HINCRBYFLOAT", "h", "f", "0.1");
            d.check("HINCRBYFLOAT", "h", "f", "0.2");
            d.check("HINCRBYFLOAT", "h", "f", "-1e3");
            d.check("HINCRBYFLOAT", "h", "f", "x");
            d.check("HINCRBYFLOAT", "h", "f", "inf");
            d.check("HINCRBYFLOAT", "h", "f", "-inf");
            d.check("HINCRBYFLOAT", "h", "f", "nan");
            d.check("HINCRBYFLOAT", "h", "f", " 1");
            d.check("HINCRBYFLOAT", "str", "f", "1");
            d.check("HINCRBYFLOAT", "str", "f", "inf");
            d.check("HINCRBYFLOAT", "h", "t", "1");
            d.check("HINCRBYFLOAT", "h", "sp", "1");
            d.check("HINCRBYFLOAT", "h", "z0", "1.5");
            d.check("HINCRBYFLOAT", "h", "big", "1");
            d.check("HSET", "h", "huge", "1e308");
            d.check("HINCRBYFLOAT", "h", "huge", "1e308");
            d.check("HINCRBYFLOAT", "h", "huge", "1.7976931348623157e308");
            d.check("HGET", "h", "huge");
            d.check("HINCRBYFLOAT", "h", "new", "3");
            // A stored infinity is a float to Redis (strtold reads it): the sum is what is refused.
            d.check("HSET", "h", "i1", "inf", "i2", "-Infinity", "i3", "+INF", "i4", "nan", "i5", "infinite");
            d.check("HINCRBYFLOAT", "h", "i1", "1");
            d.check("HINCRBYFLOAT", "h", "i2", "-1");
            d.check("HINCRBYFLOAT", "h", "i3", "0");
            d.check("HINCRBYFLOAT", "h", "i4", "1");
            d.check("HINCRBYFLOAT", "h", "i5", "1");
            d.check("HDEL", "h", "i1", "i2", "i3", "i4", "i5");
            d.check("SET", "sinf", "-inf");
            d.check("INCRBYFLOAT", "sinf", "1");
            d.check("DEL", "sinf");
            d.check("HSTRLEN", "h", "f");
            d.check("HRANDFIELD", "nokey");
            d.check("HRANDFIELD", "nokey", "3");
            d.check("HRANDFIELD", "nokey", "-3", "WITHVALUES");
            d.check("HRANDFIELD", "nokey", "-9223372036854775807");
            d.check("HRANDFIELD", "nokey", "-9223372036854775808");
            d.check("HRANDFIELD", "h", "-9223372036854775808");
            d.check("HRANDFIELD", "h", "x");
            d.check("HRANDFIELD", "h", "1", "WITHSCORES");
            d.check("HRANDFIELD", "h", "1", "WITHVALUES", "x");
            d.check("HRANDFIELD", "str");
            d.check("HRANDFIELD", "str", "1");
            d.check("HRANDFIELD", "str", "x", "y");
            d.check("HRANDFIELD", "str", "1", "y");
            d.check("HRANDFIELD", "h", "0");
            d.check("HRANDFIELD", "h", "0", "withvalues");
            d.checkUnordered("HRANDFIELD", "h", "100");
            d.checkUnordered("HRANDFIELD", "h", "9223372036854775807");
            if (protocol == 2) {
                // RESP3 pairs each field with its value: compared below as a shape.
                d.checkUnordered("HRANDFIELD", "h", "100", "WITHVALUES");
            }
            randomHashReply(d, "HRANDFIELD", "h");
            randomHashReply(d, "HRANDFIELD", "h", "2");
            randomHashReply(d, "HRANDFIELD", "h", "-20");
            randomHashReply(d, "HRANDFIELD", "h", "3", "WITHVALUES");
            randomHashReply(d, "HRANDFIELD", "h", "-7", "withValues");
            randomHashReply(d, "HRANDFIELD", "h", "100", "WITHVALUES");
            d.check("HSCAN", "nokey", "0");
            d.check("HSCAN", "nokey", "0", "FOO");
            d.check("HSCAN", "nokey", "x");
            d.check("HSCAN", "h", "18446744073709551616");
            d.check("HSCAN", "str", "0");
            d.check("HSCAN", "str", "0", "FOO");
            d.check("HSCAN", "str", "x");
            d.check("HSCAN", "h", "0", "FOO");
            d.check("HSCAN", "h", "0", "COUNT");
            d.check("HSCAN", "h", "0", "COUNT", "0");
            d.check("HSCAN", "h", "0", "COUNT", "-1");
            d.check("HSCAN", "h", "0", "COUNT", "x");
            d.check("HSCAN", "h", "0", "MATCH");
            d.check("HSCAN", "h", "0", "MATCH", "*", "TYPE", "hash");
            scan(d, "HSCAN", "h", "0");
            scan(d, "HSCAN", "h", "0", "match", "h*", "count", "2");
            scan(d, "HSCAN", "h", "0", "MATCH", "*");
            scan(d, "HSCAN", "h", "0", "COUNT", "9223372036854775807");
            d.check(new byte[][] {bytes("HSET"), BINARY, BINARY, BINARY});
            d.check(new byte[][] {bytes("HGET"), BINARY, BINARY});
            d.check(new byte[][] {bytes("HINCRBY"), BINARY, bytes("n"), bytes("2")});
            d.checkUnordered(new byte[][] {bytes("HGETALL"), BINARY});
            d.checkUnordered(new byte[][] {bytes("HKEYS"), BINARY});
            scan(d, new byte[][] {bytes("HSCAN"), BINARY, bytes("0"), bytes("MATCH"), new byte[] {(byte) 0xff, '*'}});
            randomHashReply(d, new byte[][] {bytes("HRANDFIELD"), BINARY, bytes("-3"), bytes("WITHVALUES")});
            for (int i = 0; i < 300; i++) {
                d.check("HSET", "large", "field:" + i, Integer.toString(i));
            }
            d.check("HLEN", "large");
            scan(d, "HSCAN", "large", "0");
            scan(d, "HSCAN", "large", "0", "COUNT", "7");
            scan(d, "HSCAN", "large", "0", "MATCH", "field:1*", "COUNT", "50");
            scan(d, "HSCAN", "large", "0", "MATCH", "nothing*");
            d.checkUnordered("HGETALL", "large");
            randomHashReply(d, "HRANDFIELD", "large", "250", "WITHVALUES");
            randomHashReply(d, "HRANDFIELD", "large", "-400", "WITHVALUES");
            d.check("HDEL", "h", "b", "c", "d", "e", "f", "n", "t", "z", "big", "sp", "z0", "huge", "new");
            d.check("EXISTS", "h");
            d.check("HDEL", "h", "nope");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void fixedSetCasesMatchRedis(int protocol) throws IOException {
        try (WireDifferential d = new WireDifferential(redis, 0, protocol)) {
            d.check("SET", "str", "x");
            d.check("HSET", "hash", "f", "v");
            d.check("SADD", "s", "a", "b", "c", "a");
            d.check("SADD", "s", "c", "d");
            d.check("SADD", "str", "a");
            d.check("SADD", "s");
            d.check("SADD", "n", "1", "2", "3", "-4", "007");
            d.checkUnordered("SMEMBERS", "s");
            d.checkUnordered("SMEMBERS", "n");
            d.check("SMEMBERS", "nokey");
            d.check("SMEMBERS", "str");
            d.check("SISMEMBER", "s", "a");
            d.check("SISMEMBER", "s", "z");
            d.check("SISMEMBER", "nokey", "a");
            d.check("SISMEMBER", "str", "a");
            d.check("SMISMEMBER", "s", "a", "z", "a");
            d.check("SMISMEMBER", "nokey", "a");
            d.check("SMISMEMBER", "str", "a");
            d.check("SMISMEMBER", "s");
            d.check("SCARD", "s");
            d.check("SCARD", "nokey");
            d.check("SCARD", "str");
            d.check("SREM", "s", "a", "z", "a");
            d.check("SREM", "nokey", "a");
            d.check("SREM", "str", "a");
            d.check("SREM", "s");
            d.check("SMOVE", "s", "t", "b");
            d.check("SMOVE", "s", "t", "b");
            d.check("SMOVE", "nokey", "str", "b");
            d.check("SMOVE", "s", "str", "c");
            d.check("SMOVE", "str", "s", "c");
            d.check("SMOVE", "s", "s", "c");
            d.check("SMOVE", "s", "s", "z");
            d.check("SADD", "t", "c");
            d.check("SMOVE", "s", "t", "c");
            d.check("SMOVE", "t", "s", "c");
            d.check("SMOVE", "s", "t");
            d.check("SADD", "u", "c", "x", "y");
            d.checkUnordered("SINTER", "s", "t", "u");
            d.checkUnordered("SINTER", "s", "u");
            d.checkUnordered("SINTER", "s");
            d.check("SINTER", "s", "nokey");
            d.check("SINTER", "nokey", "str");
            d.check("SINTER", "s", "str");
            d.checkUnordered("SUNION", "s", "t", "u", "nokey");
            d.check("SUNION", "nokey");
            d.check("SUNION", "s", "hash");
            d.checkUnordered("SDIFF", "u", "s", "t");
            d.checkUnordered("SDIFF", "u", "nokey");
            d.check("SDIFF", "nokey", "u");
            d.check("SDIFF", "nokey", "str");
            d.check("SINTERSTORE", "dst", "s", "u");
            d.checkUnordered("SMEMBERS", "dst");
            d.check("SINTERSTORE", "dst", "s", "nokey");
            d.check("EXISTS", "dst");
            d.check("SINTERSTORE", "str", "s", "u");
            d.check("TYPE", "str");
            d.check("SINTERSTORE", "dst", "s", "hash");
            d.check("SINTERSTORE", "dst");
            d.check("SUNIONSTORE", "dst", "s", "t", "u");
            d.checkUnordered("SMEMBERS", "dst");
            d.check("SUNIONSTORE", "dst", "dst", "n");
            d.check("SUNIONSTORE", "dst", "nokey");
            d.check("EXISTS", "dst");
            d.check("SUNIONSTORE", "dst", "s", "str");
            d.check("SDIFFSTORE", "dst", "u", "s");
            d.checkUnordered("SMEMBERS", "dst");
            d.check("SDIFFSTORE", "dst", "u", "u");
            d.check("EXISTS", "dst");
            d.check("SDIFFSTORE", "hash", "u");
            d.check("TYPE", "hash");
            d.check("HSET", "hash", "f", "v");
            d.check("SDIFFSTORE", "dst", "u", "hash");
            d.check("SINTERCARD", "1", "u");
            d.check("SINTERCARD", "2", "u", "s");
            d.check("SINTERCARD", "2", "u", "nokey");
            d.check("SINTERCARD", "2", "nokey", "str");
            d.check("SINTERCARD", "2", "u", "hash");
            d.check("SINTERCARD", "1", "u", "LIMIT", "2");
            d.check("SINTERCARD", "1", "u", "limit", "0");
            d.check("SINTERCARD", "1", "u", "LIMIT", "1", "LIMIT", "5");
            d.check("SINTERCARD", "1", "u", "LIMIT", "-1");
            d.check("SINTERCARD", "1", "u", "LIMIT", "x");
            d.check("SINTERCARD", "1", "u", "LIMIT");
            d.check("SINTERCARD", "1", "u", "FOO", "1");
            d.check("SINTERCARD", "1", "str", "FOO", "1");
            d.check("SINTERCARD", "0", "u");
            d.check("SINTERCARD", "-1", "u");
            d.check("SINTERCARD", "x", "u");
            d.check("SINTERCARD", "3", "u", "s");
            d.check("SINTERCARD", "9223372036854775807", "u");
            d.check("SINTERCARD", "2", "u", "LIMIT", "1");
            d.check("SPOP", "nokey");
            d.check("SPOP", "nokey", "3");
            d.check("SPOP", "nokey", "0");
            d.check("SPOP", "nokey", "-1");
            d.check("SPOP", "nokey", "x");
            d.check("SPOP", "s", "1", "2");
            d.check("SPOP", "str");
            d.check("SPOP", "str", "1");
            d.check("SPOP", "str", "0");
            d.check("SPOP", "str", "-1");
            d.check("SPOP", "u", "0");
            d.check("SRANDMEMBER", "nokey");
            d.check("SRANDMEMBER", "nokey", "5");
            d.check("SRANDMEMBER", "nokey", "-5");
            d.check("SRANDMEMBER", "nokey", "-9223372036854775807");
            d.check("SRANDMEMBER", "nokey", "-9223372036854775808");
            d.check("SRANDMEMBER", "u", "-9223372036854775808");
            d.check("SRANDMEMBER", "u", "x");
            d.check("SRANDMEMBER", "u", "1", "2");
            d.check("SRANDMEMBER", "str");
            d.check("SRANDMEMBER", "str", "1");
            d.check("SRANDMEMBER", "str", "0");
            d.check("SRANDMEMBER", "u", "0");
            d.checkUnordered("SRANDMEMBER", "u", "3");
            d.checkUnordered("SRANDMEMBER", "u", "100");
            d.checkUnordered("SRANDMEMBER", "u", "9223372036854775807");
            randomSetReply(d, "SRANDMEMBER", "u");
            randomSetReply(d, "SRANDMEMBER", "u", "2");
            randomSetReply(d, "SRANDMEMBER", "u", "-10");
            randomSetReply(d, "SRANDMEMBER", "n", "-3");
            randomSetReply(d, "SPOP", "n");
            randomSetReply(d, "SPOP", "n", "2");
            d.checkUnordered("SMEMBERS", "n");
            randomSetReply(d, "SPOP", "n", "10");
            d.check("EXISTS", "n");
            d.check("SSCAN", "nokey", "0");
            d.check("SSCAN", "nokey", "0", "FOO");
            d.check("SSCAN", "nokey", "x");
            d.check("SSCAN", "u", "+");
            d.check("SSCAN", "str", "0");
            d.check("SSCAN", "str", "0", "FOO");
            d.check("SSCAN", "u", "0", "FOO");
            d.check("SSCAN", "u", "0", "COUNT", "0");
            d.check("SSCAN", "u", "0", "COUNT", "x");
            d.check("SSCAN", "u", "0", "MATCH");
            d.check("SSCAN", "u", "0", "TYPE", "set");
            scan(d, "SSCAN", "u", "0");
            scan(d, "SSCAN", "u", "0", "MATCH", "[xy]", "COUNT", "1");
            d.check(new byte[][] {bytes("SADD"), BINARY, BINARY, bytes("a")});
            d.check(new byte[][] {bytes("SISMEMBER"), BINARY, BINARY});
            d.checkUnordered(new byte[][] {bytes("SMEMBERS"), BINARY});
            d.check(new byte[][] {bytes("SMOVE"), BINARY, bytes("bin2"), BINARY});
            d.checkUnordered("SMEMBERS", "bin2");
            scan(d, new byte[][] {bytes("SSCAN"), bytes("bin2"), bytes("0"), bytes("MATCH"), new byte[] {(byte) 0xff, '*'}});
            for (int i = 0; i < 300; i++) {
                d.check("SADD", "large", "m" + i, Integer.toString(i));
            }
            d.check("SCARD", "large");
            scan(d, "SSCAN", "large", "0");
            scan(d, "SSCAN", "large", "0", "COUNT", "13");
            scan(d, "SSCAN", "large", "0", "MATCH", "m2*");
            d.checkUnordered("SINTER", "large", "large");
            d.check("SINTERCARD", "2", "large", "large", "LIMIT", "100");
            randomSetReply(d, "SRANDMEMBER", "large", "500");
            randomSetReply(d, "SRANDMEMBER", "large", "50");
            randomSetReply(d, "SPOP", "large", "17");
            d.check("SCARD", "large");
            randomSetReply(d, "SPOP", "large", "1000");
            d.check("EXISTS", "large");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void randomHashSequencesMatchRedis(int protocol) throws IOException {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String[] values = {"0", "1", "-1", "10", "abc", "", "3.5", "9223372036854775807", "-9223372036854775808",
            "007", " 1", "1e3", "0.1", "-0", "inf", "1e308"};
        // HINCRBYFLOAT's increments: the dictionary takes a double, where Redis reads a long
        // double, so increments with more digits than a double holds are left out.
        String[] increments = {"0", "1", "-1", "10", "abc", "", "3.5", "007", " 1", "1e3", "0.1", "-0", "inf", "-inf",
            "1e308", "-2.5e-3", "1.7976931348623157e308"};
        try (WireDifferential d = new WireDifferential(redis, seed, protocol)) {
            for (int i = 0; i < 2000; i++) {
                String key = "k" + random.nextInt(5);
                String field = "f" + random.nextInt(6);
                String other = "f" + random.nextInt(6);
                String value = values[random.nextInt(values.length)];
                String count = Integer.toString(random.nextInt(13) - 5);
                switch (random.nextInt(22)) {
                    case 0, 1 -> d.check("HSET", key, field, value);
                    case 2 -> d.check("HSET", key, field, value, other, values[random.nextInt(values.length)]);
                    case 3 -> d.check("HSETNX", key, field, value);
                    case 4 -> d.check("HMSET", key, field, value, other);
                    case 5 -> d.check("HGET", key, field);
                    case 6 -> d.check("HMGET", key, field, other);
                    case 7 -> d.check("HDEL", key, field, other);
                    case 8 -> d.check("HEXISTS", key, field);
                    case 9 -> d.check("HLEN", key);
                    case 10 -> d.checkUnordered("HKEYS", key);
                    case 11 -> d.checkUnordered("HVALS", key);
                    case 12 -> d.checkUnordered("HGETALL", key);
                    case 13 -> d.check("HINCRBY", key, field, value);
                    case 14 -> d.check("HINCRBYFLOAT", key, field, increments[random.nextInt(increments.length)]);
                    case 15 -> d.check("HSTRLEN", key, field);
                    case 16 -> randomHashReply(d, "HRANDFIELD", key);
                    case 17 -> randomHashReply(d, "HRANDFIELD", key, count);
                    case 18 -> randomHashReply(d, "HRANDFIELD", key, count, "WITHVALUES");
                    case 19 -> scan(d, "HSCAN", key, "0", "COUNT", Integer.toString(1 + random.nextInt(4)), "MATCH",
                            random.nextBoolean() ? "*" : "f[0-2]");
                    case 20 -> d.check("DEL", key);
                    default -> {
                        // Other types under the same names, for WRONGTYPE.
                        if (random.nextBoolean()) {
                            d.check("SET", key, value);
                        } else {
                            d.check("SADD", key, value);
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void randomSetSequencesMatchRedis(int protocol) throws IOException {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String[] members = {"a", "b", "c", "d", "e", "1", "2", "-3", "007", ""};
        try (WireDifferential d = new WireDifferential(redis, seed, protocol)) {
            for (int i = 0; i < 2000; i++) {
                String key = "k" + random.nextInt(5);
                String other = "k" + random.nextInt(5);
                String third = "k" + random.nextInt(5);
                String member = members[random.nextInt(members.length)];
                String second = members[random.nextInt(members.length)];
                String count = Integer.toString(random.nextInt(13) - 5);
                switch (random.nextInt(22)) {
                    case 0, 1, 2 -> d.check("SADD", key, member, second);
                    case 3 -> d.check("SREM", key, member, second);
                    case 4 -> d.checkUnordered("SMEMBERS", key);
                    case 5 -> d.check("SISMEMBER", key, member);
                    case 6 -> d.check("SMISMEMBER", key, member, second);
                    case 7 -> d.check("SCARD", key);
                    case 8 -> randomSetReply(d, "SPOP", key);
                    case 9 -> randomSetReply(d, "SPOP", key, random.nextBoolean() ? count : "1");
                    case 10 -> randomSetReply(d, "SRANDMEMBER", key, random.nextBoolean() ? count : "2");
                    case 11 -> d.check("SMOVE", key, other, member);
                    case 12 -> d.checkUnordered("SINTER", key, other, third);
                    case 13 -> d.check("SINTERCARD", "2", key, other, "LIMIT", Integer.toString(random.nextInt(4)));
                    case 14 -> d.checkUnordered("SUNION", key, other);
                    case 15 -> d.checkUnordered("SDIFF", key, other, third);
                    case 16 -> d.check("SINTERSTORE", key, other, third);
                    case 17 -> d.check("SUNIONSTORE", third, key, other);
                    case 18 -> d.check("SDIFFSTORE", other, key, third);
                    case 19 -> scan(d, "SSCAN", key, "0", "COUNT", Integer.toString(1 + random.nextInt(4)), "MATCH",
                            random.nextBoolean() ? "*" : "[a-c]");
                    case 20 -> d.check("DEL", key);
                    default -> {
                        if (random.nextBoolean()) {
                            d.check("SET", key, member);
                        } else {
                            d.check("HSET", key, member, second);
                        }
                    }
                }
            }
        }
    }

    /**
     * Cursors as Redis reads them (strtoul): signs, a minus wrapping modulo 2^64, the empty
     * argument as 0, a NUL byte ending the number; blanks, other bytes and overflow refused.
     * Missing keys and an empty database make every valid cursor's page the same on both sides.
     */
    @Test
    void scanCursorsAreReadAsRedisReadsThem() throws IOException {
        String[] cursors = {"0", "", "-1", "+1", "-0", "+0", "007", "18446744073709551615", "18446744073709551616",
            "-18446744073709551615", "-18446744073709551616", "99999999999999999999", "184467440737095516150", "+",
            "-", "--1", "+-1", " 1", "1 ", "\t1", "0x10", "1a", "1.0"};
        try (WireDifferential d = new WireDifferential(redis, 0, 2)) {
            for (String cursor : cursors) {
                d.check("SCAN", cursor);
                d.check("HSCAN", "nokey", cursor);
                d.check("SSCAN", "nokey", cursor);
            }
            for (byte[] cursor : new byte[][] {{'1', 0, 'x'}, {0, 'x'}, {'-', 0}, {'\t', '1'}, {(byte) 0xff}}) {
                d.check(bytes("SCAN"), cursor);
                d.check(bytes("HSCAN"), bytes("nokey"), cursor);
                d.check(bytes("SSCAN"), bytes("nokey"), cursor);
            }
            d.check("SET", "str", "x");
            d.check("HSCAN", "str", "-1");
            d.check("SSCAN", "str", "");
            d.check("SSCAN", "str", "1 ");
        }
    }

    @Test
    void everyHashAndSetCommandIsDeclaredAsRedisReportsIt() throws IOException {
        try (WireDifferential d = new WireDifferential(redis, 0, 2)) {
            List<String> names = new ArrayList<>(HASH_COMMANDS);
            names.addAll(SET_COMMANDS);
            for (String name : names) {
                CommandSpec spec = CommandTable.dictionary().find(name);
                assertThat(spec).as(name).isNotNull();
                List<?> info = (List<?>) ((List<?>) RespReplyReader.parse(
                        d.redisReply(WireDifferential.bytes("COMMAND", "INFO", name)))).get(0);
                assertThat(spec.arity()).as(name + " arity").isEqualTo(((Long) info.get(1)).intValue());
                Set<String> redisFlags = new TreeSet<>();
                for (Object flag : (List<?>) info.get(2)) {
                    redisFlags.add((String) flag);
                }
                // Redis derives "movablekeys" from a key spec that is not a fixed range
                // (SINTERCARD's numkeys); such a command declares no key range.
                boolean movable = redisFlags.remove("movablekeys");
                Set<String> flags = new TreeSet<>();
                for (CommandFlag flag : spec.flags()) {
                    flags.add(flag.redisName());
                }
                assertThat(flags).as(name + " flags").isEqualTo(redisFlags);
                assertThat(List.of(spec.firstKey(), spec.lastKey(), spec.step())).as(name + " key positions")
                        .isEqualTo(List.of(((Long) info.get(3)).intValue(), ((Long) info.get(4)).intValue(),
                                ((Long) info.get(5)).intValue()));
                if (movable) {
                    assertThat(spec.firstKey()).as(name + " has movable keys").isZero();
                }
                List<?> docs = (List<?>) RespReplyReader.parse(d.redisReply(WireDifferential.bytes("COMMAND", "DOCS",
                        name)));
                List<?> fields = (List<?>) docs.get(1);
                for (int i = 0; i < fields.size(); i += 2) {
                    if ("group".equals(text(fields.get(i)))) {
                        assertThat(spec.group()).as(name + " group").isEqualTo(text(fields.get(i + 1)));
                    }
                }
            }
        }
    }

    /** The forms in which the dictionary logs hash and set writes replay through the table. */
    @Test
    void loggedHashAndSetWritesReplayThroughTheTable() {
        try (Cairn cairn = Cairn.inMemory()) {
            Dictionary dictionary = cairn.dictionary();
            CommandTable table = CommandTable.dictionary();
            table.replay(dictionary, List.of(bytes("HSET"), bytes("h"), bytes("a"), bytes("1"), BINARY, BINARY));
            table.replay(dictionary, List.of(bytes("HINCRBY"), bytes("h"), bytes("a"), bytes("-5")));
            table.replay(dictionary, List.of(bytes("HSET"), bytes("h"), bytes("f"), bytes("2.5")));
            table.replay(dictionary, List.of(bytes("HDEL"), bytes("h"), bytes("f"), bytes("nope")));
            table.replay(dictionary, List.of(bytes("SADD"), bytes("s"), bytes("x"), BINARY, bytes("y")));
            table.replay(dictionary, List.of(bytes("SREM"), bytes("s"), bytes("y")));
            table.replay(dictionary, List.of(bytes("SMOVE"), bytes("s"), bytes("t"), BINARY));
            assertThat(dictionary.hashes().hget("h", "a")).isEqualTo(bytes("-4"));
            assertThat(dictionary.hashes().hget("h", BinaryKeys.fromBytes(BINARY))).isEqualTo(BINARY);
            assertThat(dictionary.hashes().hexists("h", "f")).isFalse();
            assertThat(members(dictionary.sets().smembers("s"))).containsExactly("x");
            assertThat(dictionary.sets().sismember("t", BINARY)).isTrue();
            // A read, or a write the log never holds in that shape, is refused by name.
            assertThatThrownBy(() -> table.replay(dictionary, List.of(bytes("SMEMBERS"), bytes("s"))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SMEMBERS");
            assertThatThrownBy(() -> table.replay(dictionary, List.of(bytes("HSET"), bytes("h"), bytes("a"))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hset");
            assertThat(dictionary.hashes().hget("h", "a")).isEqualTo(bytes("-4"));
        }
    }

    /**
     * HRANDFIELD, whose picks are random: errors and nulls must match byte for byte; otherwise
     * the reply's type and size, and Cairn's picks must be fields of the hash (with their values).
     */
    private static void randomHashReply(WireDifferential d, String... command) {
        randomHashReply(d, WireDifferential.bytes(command));
    }

    private static void randomHashReply(WireDifferential d, byte[][] command) {
        byte[] redisReply = d.redisReply(command);
        byte[] cairnReply = d.cairnReply(command);
        String context = "seed-dependent HRANDFIELD: " + show(command) + "\nCairn: " + WireDifferential.printable(
                cairnReply) + "\nRedis: " + WireDifferential.printable(redisReply);
        if (!sameShape(redisReply, cairnReply, context)) {
            return;
        }
        String key = BinaryKeys.fromBytes(command[1]);
        Object cairn = RespReplyReader.parse(cairnReply);
        boolean withValues = command.length == 4;
        List<String> picked = new ArrayList<>();
        if (cairn instanceof byte[] field) {
            picked.add(BinaryKeys.fromBytes(field));
        } else {
            List<?> items = (List<?>) cairn;
            for (int i = 0; i < items.size(); i++) {
                Object item = items.get(i);
                byte[] field;
                byte[] value = null;
                if (item instanceof List<?> pair) {
                    // RESP3 WITHVALUES: [field, value]
                    field = (byte[]) pair.get(0);
                    value = (byte[]) pair.get(1);
                } else {
                    field = (byte[]) item;
                    if (withValues) {
                        value = (byte[]) items.get(++i);
                    }
                }
                String name = BinaryKeys.fromBytes(field);
                picked.add(name);
                assertThat(d.dictionary().hashes().hexists(key, name)).as(context).isTrue();
                if (value != null) {
                    assertThat(value).as(context).isEqualTo(d.dictionary().hashes().hget(key, name));
                }
            }
        }
        long count = command.length > 2 ? Long.parseLong(new String(command[2], StandardCharsets.US_ASCII)) : -1;
        if (count > 0) {
            assertThat(new HashSet<>(picked)).as(context + "\ndistinct fields").hasSize(picked.size());
        }
    }

    /**
     * SRANDMEMBER or SPOP, whose picks are random: errors and nulls must match byte for byte;
     * otherwise the reply's type and size, and Cairn's picks must be members. After an SPOP
     * the Cairn set is made equal to Redis's again (Cairn's picks put back, Redis's removed).
     */
    private static void randomSetReply(WireDifferential d, String... command) {
        String key = command[1];
        boolean pop = command[0].equalsIgnoreCase("SPOP");
        boolean wasSet = d.dictionary().keys().type(key) == dev.cairn.dictionary.KeyType.SET;
        Set<String> before = wasSet ? members(d.dictionary().sets().smembers(key)) : Set.of();
        byte[] redisReply = d.redisReply(WireDifferential.bytes(command));
        byte[] cairnReply = d.cairnReply(WireDifferential.bytes(command));
        String context = "seed-dependent " + show(WireDifferential.bytes(command)) + "\nCairn: "
                + WireDifferential.printable(cairnReply) + "\nRedis: " + WireDifferential.printable(redisReply);
        if (!sameShape(redisReply, cairnReply, context)) {
            return;
        }
        List<byte[]> cairnPicked = picks(RespReplyReader.parse(cairnReply));
        List<byte[]> redisPicked = picks(RespReplyReader.parse(redisReply));
        for (byte[] member : cairnPicked) {
            assertThat(before).as(context).contains(new String(member, StandardCharsets.ISO_8859_1));
        }
        boolean distinct = command.length == 2 || Long.parseLong(command[2]) > 0 || pop;
        if (distinct) {
            assertThat(members(cairnPicked)).as(context + "\ndistinct members").hasSize(cairnPicked.size());
        }
        if (pop && !cairnPicked.isEmpty()) {
            d.dictionary().sets().sadd(key, cairnPicked.toArray(new byte[0][]));
            d.dictionary().sets().srem(key, redisPicked.toArray(new byte[0][]));
            d.check("SCARD", key);
        }
    }

    private static List<byte[]> picks(Object reply) {
        List<byte[]> picked = new ArrayList<>();
        if (reply instanceof byte[] member) {
            picked.add(member);
        } else if (reply instanceof List<?> list) {
            for (Object item : list) {
                picked.add((byte[]) item);
            }
        }
        return picked;
    }

    private static Set<String> members(List<byte[]> members) {
        Set<String> set = new HashSet<>();
        for (byte[] member : members) {
            set.add(new String(member, StandardCharsets.ISO_8859_1));
        }
        return set;
    }

    /**
     * Whether two replies to a random command need a closer look: errors, nulls and empty
     * answers are compared byte for byte (false); otherwise the type and the number of elements
     * must match (true).
     */
    private static boolean sameShape(byte[] redis, byte[] cairn, String context) {
        if (Arrays.equals(redis, cairn)) {
            return false;
        }
        Object redisValue = RespReplyReader.parse(redis);
        if (redisValue == null || redisValue instanceof RespReplyReader.Error
                || (redisValue instanceof List<?> list && list.isEmpty())) {
            assertThat(WireDifferential.printable(cairn)).as(context).isEqualTo(WireDifferential.printable(redis));
            return false;
        }
        Object cairnValue = RespReplyReader.parse(cairn);
        assertThat((char) cairn[0]).as(context + "\nreply type").isEqualTo((char) redis[0]);
        if (redisValue instanceof List<?> list) {
            assertThat(cairnValue).as(context).isInstanceOf(List.class);
            assertThat(((List<?>) cairnValue).size()).as(context + "\nreply size").isEqualTo(list.size());
        }
        return true;
    }

    /**
     * Runs a scan (cursor at index 2) to cursor 0 on both sides and compares the union of the
     * pages (field=value pairs for HSCAN); an error must match byte for byte.
     */
    private static void scan(WireDifferential d, String... command) {
        scan(d, WireDifferential.bytes(command));
    }

    private static void scan(WireDifferential d, byte[][] command) {
        byte[] first = d.redisReply(command);
        byte[] cairnFirst = d.cairnReply(command);
        String context = "scan " + show(command);
        if (first[0] == '-' || cairnFirst[0] == '-') {
            assertThat(WireDifferential.printable(cairnFirst)).as(context).isEqualTo(WireDifferential.printable(first));
            return;
        }
        boolean pairs = new String(command[0], StandardCharsets.US_ASCII).equalsIgnoreCase("HSCAN");
        Set<String> redisItems = scanAll(command, first, d::redisReply, pairs, context);
        Set<String> cairnItems = scanAll(command, cairnFirst, d::cairnReply, pairs, context);
        assertThat(cairnItems).as(context).isEqualTo(redisItems);
    }

    private static Set<String> scanAll(byte[][] command, byte[] firstReply,
            java.util.function.Function<byte[][], byte[]> send, boolean pairs, String context) {
        Set<String> items = new TreeSet<>();
        byte[] reply = firstReply;
        for (int pages = 0; pages < 100_000; pages++) {
            List<?> page = (List<?>) RespReplyReader.parse(reply);
            List<?> found = (List<?>) page.get(1);
            for (int i = 0; i < found.size(); i++) {
                String item = WireDifferential.printable((byte[]) found.get(i));
                if (pairs) {
                    item += "=" + WireDifferential.printable((byte[]) found.get(++i));
                }
                items.add(item);
            }
            byte[] cursor = (byte[]) page.get(0);
            if (Arrays.equals(cursor, bytes("0"))) {
                return items;
            }
            byte[][] next = command.clone();
            next[2] = cursor;
            reply = send.apply(next);
            assertThat(reply[0]).as(context + " at cursor " + WireDifferential.printable(cursor)).isEqualTo((byte) '*');
        }
        throw new AssertionError(context + ": the scan did not end");
    }

    private static String show(byte[][] command) {
        StringBuilder text = new StringBuilder();
        for (byte[] arg : command) {
            text.append(' ').append(WireDifferential.printable(arg));
        }
        return text.toString().trim();
    }

    private static String text(Object value) {
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
