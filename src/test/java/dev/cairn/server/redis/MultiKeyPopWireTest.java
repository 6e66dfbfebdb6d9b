package dev.cairn.server.redis;

import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** LMPOP, BLMPOP, ZMPOP, BZMPOP and ZINTERCARD against redis-server, reply bytes compared. */
class MultiKeyPopWireTest extends AgainstRedis {
    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void fixedCasesMatchRedis(int protocol) throws IOException {
        try (WireDifferential d = new WireDifferential(redis, 0, protocol)) {
            d.check("LMPOP", "2", "a", "b", "LEFT");
            d.check("RPUSH", "b", "1", "2", "3");
            d.check("LMPOP", "2", "a", "b", "LEFT");
            d.check("LMPOP", "2", "a", "b", "RIGHT", "COUNT", "5");
            d.check("LMPOP", "0", "a", "LEFT");
            d.check("LMPOP", "x", "a", "LEFT");
            d.check("LMPOP", "3", "a", "LEFT");
            d.check("LMPOP", "1", "a", "UP");
            d.check("LMPOP", "1", "a", "LEFT", "COUNT", "0");
            d.check("LMPOP", "1", "a", "LEFT", "COUNT", "1", "COUNT", "1");
            d.check("LMPOP", "1", "a", "LEFT", "EXTRA");
            d.check("SET", "s", "v");
            d.check("RPUSH", "c", "x");
            d.check("LMPOP", "2", "s", "c", "LEFT");
            d.check("LMPOP", "2", "c", "s", "LEFT");
            d.check("BLMPOP", "0.01", "1", "none", "LEFT");
            d.check("BLMPOP", "-1", "1", "none", "LEFT");
            d.check("RPUSH", "q", "j");
            d.check("BLMPOP", "0", "1", "q", "LEFT", "COUNT", "3");
            d.check("ZADD", "z", "1", "a", "2", "b", "3.5", "c");
            d.check("ZMPOP", "2", "none", "z", "MIN");
            d.check("ZMPOP", "1", "z", "MAX", "COUNT", "10");
            d.check("ZMPOP", "1", "z", "MAX");
            d.check("ZMPOP", "1", "z", "MIDDLE");
            d.check("ZMPOP", "1", "s", "MIN");
            d.check("BZMPOP", "0.01", "1", "z", "MIN");
            d.check("ZADD", "z1", "1", "a", "2", "b");
            d.check("ZADD", "z2", "1", "b", "2", "c");
            d.check("SADD", "set", "b", "c");
            d.check("ZINTERCARD", "2", "z1", "z2");
            d.check("ZINTERCARD", "3", "z1", "z2", "set");
            d.check("ZINTERCARD", "2", "z1", "z2", "LIMIT", "1");
            d.check("ZINTERCARD", "2", "z1", "z2", "LIMIT", "-1");
            d.check("ZINTERCARD", "3", "z1", "z2");
            d.check("ZINTERCARD", "0", "z1");
            d.check("ZINTERCARD", "2", "z1", "s");
            d.check("ZINTERCARD", "2", "z1", "z2", "FOO");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void randomSequencesMatchRedis(int protocol) throws IOException {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        try (WireDifferential d = new WireDifferential(redis, seed, protocol)) {
            for (int i = 0; i < 1500; i++) {
                String k1 = "k" + random.nextInt(4);
                String k2 = "k" + random.nextInt(4);
                String count = Integer.toString(random.nextInt(4));
                switch (random.nextInt(7)) {
                    case 0 -> d.check("RPUSH", k1, "e" + i, "f" + i);
                    case 1 -> d.check("ZADD", k1, Integer.toString(random.nextInt(5)), "m" + random.nextInt(6));
                    case 2 -> d.check("LMPOP", "2", k1, k2, random.nextBoolean() ? "LEFT" : "RIGHT", "COUNT", count);
                    case 3 -> d.check("ZMPOP", "2", k1, k2, random.nextBoolean() ? "MIN" : "MAX", "COUNT", count);
                    case 4 -> d.check("ZINTERCARD", "2", k1, k2, "LIMIT", count);
                    case 5 -> d.check("SADD", k1, "m" + random.nextInt(6));
                    default -> d.check("DEL", k1);
                }
            }
        }
    }
}
