package dev.cairn.server.redis;

import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The string and generic key commands, against redis-server, reply bytes compared. */
class StringAndKeyCommandsWireTest extends AgainstRedis {
    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void fixedCasesMatchRedis(int protocol) throws IOException {
        try (WireDifferential d = new WireDifferential(redis, 0, protocol)) {
            d.check("GET", "missing");
            d.check("SET", "k", "v");
            d.check("GET", "k");
            d.check("SET", "k", "w", "NX");
            d.check("SET", "k", "w", "XX", "GET");
            d.check("SET", "k", "x", "NX", "XX");
            d.check("SET", "k", "x", "EX", "0");
            d.check("SET", "k", "x", "EX", "abc");
            d.check("SET", "k", "x", "EX", "10", "PX", "100");
            d.check("SET", "k", "x", "KEEPTTL", "EX", "10");
            d.check("SET", "k", "x", "EX", "9223372036854775");
            d.check("SET", "k", "x", "PX", "100000", "GET");
            d.check("SET", "k");
            d.check("SETEX", "k", "-1", "v");
            d.check("PSETEX", "k", "100000", "v");
            d.check("GETEX", "k", "PERSIST");
            d.check("TTL", "k");
            d.check("GETEX", "k", "EX", "100", "PX", "5");
            d.check("GETEX", "k", "FOO");
            d.check("NOSUCHCOMMAND", "a", "b");
            d.check("nosuch");
            d.check("INCR", "k");
            d.check("SET", "n", "10");
            d.check("INCR", "n");
            d.check("INCRBY", "n", "-20");
            d.check("DECRBY", "n", "x");
            d.check("INCRBY", "n", "9223372036854775807");
            d.check("DECR", "n");
            d.check("INCRBYFLOAT", "n", "0.1");
            d.check("INCRBYFLOAT", "f", "0.1");
            d.check("INCRBYFLOAT", "f", "0.2");
            d.check("INCRBYFLOAT", "f", "abc");
            d.check("APPEND", "a", "hello");
            d.check("APPEND", "a", " world");
            d.check("STRLEN", "a");
            d.check("GETRANGE", "a", "0", "-3");
            d.check("GETRANGE", "a", "-100", "100");
            d.check("SUBSTR", "a", "4", "2");
            d.check("SETRANGE", "a", "-1", "x");
            d.check("SETRANGE", "a", "20", "x");
            d.check("GET", "a");
            d.check("MSET", "a", "1", "b", "2", "a", "3");
            d.check("MSET", "a", "1", "b");
            d.check("MGET", "a", "b", "nope");
            d.check("MSETNX", "c", "1", "a", "2");
            d.check("GETSET", "a", "9");
            d.check("GETDEL", "a");
            d.check("SETNX", "a", "1");
            d.check("EXISTS", "a", "a", "zz");
            d.check("TYPE", "a");
            d.check("TYPE", "zz");
            d.check("RENAME", "zz", "yy");
            d.check("RENAME", "a", "b");
            d.check("RENAMENX", "b", "c");
            d.check("EXPIRE", "b", "100");
            d.check("EXPIRE", "b", "100", "NX");
            d.check("EXPIRE", "b", "200", "GT");
            d.check("EXPIRE", "b", "50", "XX", "GT");
            d.check("EXPIRE", "b", "50", "XX", "LT");
            d.check("EXPIRE", "b", "50", "NX", "GT");
            d.check("EXPIRE", "b", "50", "GT", "LT");
            d.check("EXPIRE", "b", "50", "FOO");
            d.check("EXPIRE", "b", "9223372036854775807");
            d.check("PEXPIRE", "b", "9223372036854775807");
            d.check("TTL", "b");
            d.check("PERSIST", "b");
            d.check("PERSIST", "b");
            d.check("TTL", "b");
            d.check("PTTL", "nope");
            d.check("EXPIRETIME", "b");
            d.check("EXPIREAT", "b", "1");
            d.check("EXISTS", "b");
            d.check("DEL", "c", "b", "n");
            d.check("SCAN", "abc");
            d.check("SCAN", "0", "COUNT", "0");
            d.check("SCAN", "0", "FOO");
            d.check("DBSIZE");
            d.check("FLUSHALL", "ASYNC");
            d.check("FLUSHALL", "FOO");
            d.check("DBSIZE");
            d.check("RANDOMKEY");
            d.check(new byte[][] {"SET".getBytes(), {(byte) 0xff, 0, '\r', '\n'}, {1, 2, 3}});
            d.check(new byte[][] {"GET".getBytes(), {(byte) 0xff, 0, '\r', '\n'}});
            d.checkUnordered("KEYS", "*");
            d.check("RANDOMKEY");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void randomStringSequencesMatchRedis(int protocol) throws IOException {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String[] values = {"0", "1", "-1", "10", "abc", "", "3.5", "9223372036854775807", "-9223372036854775808",
            "007", " 1", "1e3", "0.1"};
        try (WireDifferential d = new WireDifferential(redis, seed, protocol)) {
            for (int i = 0; i < 2000; i++) {
                String key = "k" + random.nextInt(6);
                String other = "k" + random.nextInt(6);
                String value = values[random.nextInt(values.length)];
                switch (random.nextInt(16)) {
                    case 0 -> d.check("SET", key, value);
                    case 1 -> d.check("GET", key);
                    case 2 -> d.check("INCR", key);
                    case 3 -> d.check("INCRBY", key, value);
                    case 4 -> d.check("APPEND", key, value);
                    case 5 -> d.check("GETRANGE", key, value, values[random.nextInt(values.length)]);
                    case 6 -> d.check("SETRANGE", key, Integer.toString(random.nextInt(8) - 1), value);
                    case 7 -> d.check("MGET", key, other);
                    case 8 -> d.check("MSET", key, value, other, value);
                    case 9 -> d.check("DEL", key, other);
                    case 10 -> d.check("RENAME", key, other);
                    case 11 -> d.check("EXISTS", key, other);
                    case 12 -> d.check("STRLEN", key);
                    case 13 -> d.check("GETSET", key, value);
                    case 14 -> d.check("SET", key, value, random.nextBoolean() ? "NX" : "XX", "GET");
                    default -> d.check("DECRBY", key, value);
                }
            }
        }
    }
}
