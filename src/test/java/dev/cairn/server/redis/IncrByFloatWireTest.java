package dev.cairn.server.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.Cairn;
import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.NotAFloatException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * INCRBYFLOAT and HINCRBYFLOAT against redis-server, whose long double arithmetic Cairn emulates:
 * seeded random stored values and increments (short and long decimals, exponents near both ends
 * of long double's range, subnormals, negative zero, hexadecimal, infinities, texts Redis refuses,
 * and the results of earlier increments fed back in), each reply compared byte for byte over the
 * command table, and the Java API's text and double forms compared with Redis's reply on a second
 * dictionary given the same writes. A mismatch prints the seed and step.
 */
class IncrByFloatWireTest extends AgainstRedis {
    private static final String[] FIXED = {
        "0", "-0", "0.0", "-0.0", "+0", "0.1", "0.2", "0.3", "-0.1", "1", "-1", "10", "1.5", "3.0e0", "1e308",
        "1.7976931348623157e308", "1e309", "1e4000", "-1e4000", "1e4931", "1.18e4932", "1.19e4932", "1e4933",
        "1e-308", "4.9e-324", "1e-4931", "3.4e-4932", "3.65e-4951", "1e-4951", "1e-4952", "1e-5000",
        "0x1p-16445", "0x1p-16446", "0x1.8p3", "0X10", "0xAbC.dEfP-2", "-0x1p16383", "0x1p16384", "0x", "0x.p1",
        "inf", "-inf", "+INF", "Infinity", "-infinity", "infinit", "nan", "NaN", "-nan", "nan(1)", " 1", "1 ",
        "1e", "1e+", "e1", ".", "-.", "+.5", "5.", ".5e1", "1.2.3", "1e5.5", "--1", "1_0", "abc", "", "12345678901234567890123",
        "0.30000000000000000001", "9223372036854775807", "18446744073709551616", "1180591620717411303424",
        "0.000000000000000001", "-0.000000000000000004", "0.000000000000000005", "0.000000000000000015",
        "1\u0000junk", "\u0000", "1\u00ff",
    };

    private final List<String> produced = new ArrayList<>();

    @Test
    void randomValuesAndIncrementsMatchRedis() throws IOException {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        try (WireDifferential d = new WireDifferential(redis, seed, 2);
             Cairn mirrorCairn = Cairn.inMemory()) {
            Dictionary mirror = mirrorCairn.dictionary();
            for (int step = 0; step < 4000; step++) {
                String context = "seed " + seed + ", step " + step;
                int field = random.nextInt(3);
                String key = "f" + field;
                boolean hash = random.nextInt(4) == 0;
                int op = random.nextInt(10);
                if (op < 3) {
                    String value = value(random);
                    byte[] bytes = latin1(value);
                    if (hash) {
                        d.check(b("HSET"), b("h"), b(key), bytes);
                        mirror.hashes().hset("h", key, bytes);
                    } else {
                        d.check(b("SET"), b(key), bytes);
                        mirror.strings().set(key, bytes);
                    }
                } else if (op < 8) {
                    String increment = value(random);
                    byte[][] command = hash
                            ? new byte[][] {b("HINCRBYFLOAT"), b("h"), b(key), latin1(increment)}
                            : new byte[][] {b("INCRBYFLOAT"), b(key), latin1(increment)};
                    String redisReply = compare(d, command, context);
                    String javaReply;
                    try {
                        javaReply = hash ? mirror.hashes().hincrByFloat("h", key, increment)
                                : mirror.strings().incrByFloat(key, increment);
                    } catch (NotAFloatException e) {
                        javaReply = null;
                    }
                    expectSame(redisReply, javaReply, context + ": " + (hash ? "HINCRBYFLOAT" : "INCRBYFLOAT")
                            + " " + increment);
                } else {
                    // The double API: the increment a client would send is its shortest decimal form.
                    double increment = randomDouble(random);
                    String text = Double.toString(increment);
                    byte[][] command = hash
                            ? new byte[][] {b("HINCRBYFLOAT"), b("h"), b(key), b(text)}
                            : new byte[][] {b("INCRBYFLOAT"), b(key), b(text)};
                    String redisReply = compare(d, command, context);
                    Double javaReply;
                    try {
                        javaReply = hash ? mirror.hashes().hincrByFloat("h", key, increment)
                                : mirror.strings().incrByFloat(key, increment);
                    } catch (NotAFloatException e) {
                        javaReply = null;
                    }
                    assertThat(javaReply).as("%s: double %s", context, text)
                            .isEqualTo(redisReply == null ? null : Double.parseDouble(redisReply));
                }
            }
        }
    }

    /** The texts of "INCRBYFLOAT k 0.1 ... 1e308" as Redis gives them, and the error past long double's range. */
    @Test
    void knownResultsMatchRedis() throws IOException {
        try (WireDifferential d = new WireDifferential(redis, 0, 3)) {
            d.check("SET", "k", "0.1");
            d.check("INCRBYFLOAT", "k", "0.2");
            assertThat(d.dictionary().strings().get("k")).asString().isEqualTo("0.3");
            d.check("SET", "big", "1e4932");
            d.check("INCRBYFLOAT", "big", "1e308");
            d.check("INCRBYFLOAT", "big", "1e308");
            d.check("INCRBYFLOAT", "big", "1.1e4932");
            d.check("SET", "huge", "1e308");
            d.check("INCRBYFLOAT", "huge", "1e308");
            d.check("INCRBYFLOAT", "huge", "1e308");
            d.check("INCRBYFLOAT", "huge", "inf");
            d.check("INCRBYFLOAT", "k", "nan");
            d.check("INCRBYFLOAT", "k", "0x1p-3");
            d.check("HINCRBYFLOAT", "h", "f", "inf");
            d.check("HINCRBYFLOAT", "h", "f", "1e4000");
            d.check("HINCRBYFLOAT", "h", "f", "1e4932");
            d.check("HSET", "h", "g", "inf");
            d.check("HINCRBYFLOAT", "h", "g", "1");
            d.check("HSET", "h", "g", "x");
            d.check("HINCRBYFLOAT", "h", "g", "1");
            d.check("HINCRBYFLOAT", "k", "f", "1");
            d.check("INCRBYFLOAT", "h", "x");
            d.check("INCRBYFLOAT", "k", "x");
            d.check("SET", "s", "x");
            d.check("INCRBYFLOAT", "s", "1");
        }
        try (Cairn cairn = Cairn.inMemory()) {
            Dictionary dictionary = cairn.dictionary();
            dictionary.strings().set("k", b("0.1"));
            assertThat(dictionary.strings().incrByFloat("k", 0.2)).isEqualTo(0.3);
            assertThat(dictionary.strings().incrByFloat("k", "1e-20")).isEqualTo("0.3");
            assertThatThrownBy(() -> dictionary.strings().incrByFloat("k", Double.NaN))
                    .isInstanceOf(NotAFloatException.class);
            assertThatThrownBy(() -> dictionary.hashes().hincrByFloat("h", "f", Double.POSITIVE_INFINITY))
                    .isInstanceOf(NotAFloatException.class).hasMessageStartingWith("increment is infinite");
            assertThat(dictionary.keys().exists("h")).isZero();
        }
    }

    /** Sends {@code command} to both sides through the wire; returns Redis's bulk text, or null for an error. */
    private static String compare(WireDifferential d, byte[][] command, String context) {
        byte[] redisRaw = d.redisReply(command);
        byte[] cairnRaw = d.cairnReply(command);
        assertThat(WireDifferential.printable(cairnRaw)).as("%s: %s", context, text(command))
                .isEqualTo(WireDifferential.printable(redisRaw));
        String reply = new String(redisRaw, StandardCharsets.ISO_8859_1);
        if (reply.startsWith("-")) {
            return null;
        }
        assertThat(reply).startsWith("$");
        return reply.substring(reply.indexOf("\r\n") + 2, reply.length() - 2);
    }

    private void expectSame(String redisReply, String javaReply, String context) {
        assertThat(javaReply).as(context).isEqualTo(redisReply);
        if (redisReply != null && produced.size() < 200) {
            produced.add(redisReply);
        } else if (redisReply != null) {
            produced.set(produced.size() - 1 - (redisReply.length() % 100), redisReply);
        }
    }

    /** A stored value or an increment: fixed edge cases, random decimals of every size, earlier results. */
    private String value(Random random) {
        int kind = random.nextInt(10);
        if (kind == 0) {
            return FIXED[random.nextInt(FIXED.length)];
        }
        if (kind == 1 && !produced.isEmpty()) {
            String earlier = produced.get(random.nextInt(produced.size()));
            return random.nextBoolean() ? earlier : negate(earlier);
        }
        if (kind == 2) {
            return Double.toString(randomDouble(random));
        }
        if (kind == 3) {
            return Long.toString(random.nextLong() >> random.nextInt(64));
        }
        StringBuilder text = new StringBuilder();
        if (random.nextInt(3) == 0) {
            text.append('-');
        }
        int digits = 1 + random.nextInt(random.nextBoolean() ? 6 : 30);
        BigInteger unscaled = new BigInteger(digits * 4, random);
        String all = unscaled.toString();
        int point = random.nextInt(all.length() + 1);
        text.append(point == 0 ? "0" : all.substring(0, point));
        if (point < all.length()) {
            text.append('.').append(all.substring(point));
        }
        int exponentKind = random.nextInt(6);
        if (exponentKind == 0) {
            text.append('e').append(random.nextInt(41) - 20);
        } else if (exponentKind == 1) {
            text.append(random.nextBoolean() ? "E+" : "e").append(4900 + random.nextInt(40));
        } else if (exponentKind == 2) {
            text.append("e-").append(4900 + random.nextInt(60));
        } else if (exponentKind == 3) {
            text.append('e').append(random.nextInt(700) - 350);
        }
        return text.toString();
    }

    private static String negate(String text) {
        return text.startsWith("-") ? text.substring(1) : "-" + text;
    }

    /** A finite double of any magnitude, subnormals and both zeros included. */
    private static double randomDouble(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(20) - 10);
            case 1 -> random.nextBoolean() ? 0.0 : -0.0;
            case 2 -> Double.longBitsToDouble(random.nextLong() & 0x000F_FFFF_FFFF_FFFFL) * (random.nextBoolean() ? 1 : -1);
            default -> {
                double value;
                do {
                    value = Double.longBitsToDouble(random.nextLong());
                } while (!Double.isFinite(value));
                yield value;
            }
        };
    }

    private static byte[] b(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] latin1(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String text(byte[][] command) {
        List<String> parts = new ArrayList<>();
        for (byte[] arg : command) {
            parts.add(new String(arg, StandardCharsets.ISO_8859_1));
        }
        return String.join(" ", parts);
    }
}
