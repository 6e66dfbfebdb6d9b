package dev.cairn.server.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.testing.RedisProcess;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The codec against a real redis-server: the same bytes sent to both, Redis's reply compared with
 * the reply the codec's result calls for (see {@link RedisProcess} for when this is skipped).
 */
class RespRedisComparisonTest {
    private static final String PASSWORD = "pw";
    private static RedisProcess redis;
    private static RedisProcess locked;

    @BeforeAll
    static void start() throws IOException {
        redis = RedisProcess.start("--enable-debug-command", "yes", "--client-query-buffer-limit", "1mb");
        locked = RedisProcess.start("--requirepass", PASSWORD);
    }

    @AfterAll
    static void stop() throws IOException {
        if (redis != null) {
            redis.close();
        }
        if (locked != null) {
            locked.close();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** What the parser makes of {@code input}: its commands, then the protocol error if any. */
    private static List<Object> parse(RespRequestParser parser, byte[] input) {
        List<Object> results = new ArrayList<>();
        var buffer = Unpooled.wrappedBuffer(input);
        try {
            RespCommand command;
            while ((command = parser.parse(buffer)) != null) {
                results.add(command);
            }
        } catch (RespProtocolException e) {
            results.add(e);
        }
        return results;
    }

    private static byte[] errorReply(RespProtocolException e) {
        RespWriter writer = new RespWriter(2);
        writer.writeError(e.errorReply());
        return writer.toByteArray();
    }

    @Test
    void protocolErrorsMatchRedisAndCloseTheConnection() throws IOException {
        for (String[] error : RespRequestParserTest.errors()) {
            byte[] input = bytes(error[0]);
            List<Object> results = parse(new RespRequestParser(RespLimits.defaults()), input);
            assertThat(results).singleElement().isInstanceOf(RespProtocolException.class);
            RedisProcess.Exchange exchange = redis.exchange(input, null);
            assertThat(text(exchange.reply())).as("Redis's reply to %s", abbreviate(error[0]))
                    .isEqualTo(text(errorReply((RespProtocolException) results.get(0))));
            assertThat(exchange.closed()).isTrue();
        }
    }

    @Test
    void unauthenticatedLimitsMatchRedis() throws IOException {
        for (String input : List.of("*11\r\n", "*1\r\n$16385\r\n")) {
            RespRequestParser parser = new RespRequestParser(RespLimits.defaults());
            parser.setAuthenticated(false);
            List<Object> results = parse(parser, bytes(input));
            RedisProcess.Exchange exchange = locked.exchange(bytes(input), null);
            assertThat(text(exchange.reply())).isEqualTo(text(errorReply((RespProtocolException) results.get(0))));
            assertThat(exchange.closed()).isTrue();
        }
    }

    @Test
    void theQueryBufferLimitClosesWithoutAReplyAsRedisDoes() throws IOException {
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        input.writeBytes(bytes("*1\r\n$2000000\r\n"));
        input.writeBytes(new byte[1_500_000]);
        RedisProcess.Exchange exchange = redis.exchange(input.toByteArray(), null);
        assertThat(exchange.reply()).isEmpty();
        assertThat(exchange.closed()).isTrue();

        var channel = new io.netty.channel.embedded.EmbeddedChannel(
                new RespDecoder(new RespLimits(RespLimits.DEFAULT_MAX_BULK_BYTES, RespLimits.MIN_LIMIT_BYTES)));
        byte[] all = input.toByteArray();
        for (int from = 0; from < all.length; from += 16 * 1024) {
            channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(all, from, Math.min(all.length, from + 16 * 1024))));
        }
        Object message = channel.readInbound();
        assertThat(message).isInstanceOfSatisfying(RespProtocolException.class, e -> assertThat(e.hasErrorReply()).isFalse());
        channel.finishAndReleaseAll();
    }

    // Random inline lines of quotes, escapes and blanks: RPUSH of the parsed arguments, read back by
    // LRANGE, gives what the parser read; an unbalanced line gets the same error.
    @Test
    void inlineArgumentsMatchRedis() throws IOException {
        String[] plain = {"a", "b", "X", "4", "\u00e9", "\\", "\\x41"};
        String[] inDouble = {"a", " ", "\\n", "\\r", "\\t", "\\b", "\\a", "\\\\", "\\\"", "\\x41", "\\xfF",
            "\\xZ1", "\\x4", "\\q", "'", "\u00e9"};
        String[] inSingle = {"a", " ", "\\'", "\\", "\"", "\\n"};
        String[] blanks = {" ", "\t", "  ", "\u000b", "\u000c"};
        String loose = "a b\"'\\xX4\t\u000b";
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int round = 0; round < 200; round++) {
            StringBuilder line = new StringBuilder("RPUSH l x");
            for (int t = random.nextInt(5); t > 0; t--) {
                line.append(blanks[random.nextInt(blanks.length)]);
                int kind = random.nextInt(10);
                String[] pieces = kind < 3 ? plain : kind < 6 ? inDouble : kind < 9 ? inSingle : null;
                if (pieces == null) {
                    for (int i = random.nextInt(6); i > 0; i--) {
                        line.append(loose.charAt(random.nextInt(loose.length())));
                    }
                    continue;
                }
                String quote = pieces == inDouble ? "\"" : pieces == inSingle ? "'" : "";
                line.append(random.nextInt(4) == 0 ? plain[random.nextInt(plain.length)] : "").append(quote);
                for (int i = 1 + random.nextInt(5); i > 0; i--) {
                    line.append(pieces[random.nextInt(pieces.length)]);
                }
                line.append(quote);
            }
            byte[] input = bytes(line + "\r\n*4\r\n$6\r\nLRANGE\r\n$1\r\nl\r\n$1\r\n0\r\n$2\r\n-1\r\n*2\r\n$3\r\nDEL\r\n$1\r\nl\r\n");
            List<Object> results = parse(new RespRequestParser(RespLimits.defaults()), input);
            RespWriter expected = new RespWriter(2);
            if (results.get(0) instanceof RespProtocolException e) {
                expected.writeError(e.errorReply());
            } else {
                RespCommand push = (RespCommand) results.get(0);
                expected.writeInteger(push.size() - 2);
                expected.writeArrayLength(push.size() - 2);
                for (int i = 2; i < push.size(); i++) {
                    expected.writeBulk(push.argument(i));
                }
                expected.writeInteger(1);
            }
            byte[] reply = redis.exchange(input, expected.toByteArray()).reply();
            assertThat(text(reply)).as("seed %d line %s", seed, line).isEqualTo(text(expected.toByteArray()));
        }
    }

    // DEBUG PROTOCOL answers with each reply type; the writer encodes the same values the same way.
    @Test
    void everyReplyTypeMatchesRedisDebugProtocol() throws IOException {
        for (int protocol = 2; protocol <= 3; protocol++) {
            RespWriter w = new RespWriter(protocol);
            List<String> types = List.of("string", "integer", "double", "bignum", "null", "array", "set", "map",
                    "verbatim", "true", "false");
            for (String type : types) {
                switch (type) {
                    case "string" -> w.writeBulk("Hello World");
                    case "integer" -> w.writeInteger(12345);
                    case "double" -> w.writeDouble(3.141);
                    case "bignum" -> w.writeBigNumber("1234567999999999999999999999999999999");
                    case "null" -> w.writeNullBulk();
                    case "array", "set" -> {
                        if (type.equals("array")) {
                            w.writeArrayLength(3);
                        } else {
                            w.writeSetLength(3);
                        }
                        for (int j = 0; j < 3; j++) {
                            w.writeInteger(j);
                        }
                    }
                    case "map" -> {
                        w.writeMapLength(3);
                        for (int j = 0; j < 3; j++) {
                            w.writeInteger(j);
                            w.writeBoolean(j == 1);
                        }
                    }
                    case "verbatim" -> w.writeVerbatim("txt", "This is a verbatim\nstring");
                    case "true" -> w.writeBoolean(true);
                    default -> w.writeBoolean(false);
                }
            }
            StringBuilder request = new StringBuilder("HELLO " + protocol + "\r\n");
            for (String type : types) {
                request.append("DEBUG PROTOCOL ").append(type).append("\r\n");
            }
            byte[] expected = w.toByteArray();
            byte[] reply = redis.exchange(bytes(request.toString()), expected).reply();
            assertThat(text(Arrays.copyOfRange(reply, Math.max(0, reply.length - expected.length), reply.length)))
                    .as("RESP%d", protocol).isEqualTo(text(expected));
        }
    }

    // Random doubles stored with ZADD and read with ZSCORE, in RESP2 and RESP3.
    @Test
    void doublesMatchRedisZscore() throws IOException {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        double[] values = new double[300];
        for (int i = 0; i < values.length; i++) {
            double d;
            do {
                d = switch (i % 3) {
                    case 0 -> Double.longBitsToDouble(random.nextLong());
                    case 1 -> random.nextInt(2000) / 8.0 - 100;
                    default -> random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
                };
            } while (Double.isNaN(d));
            values[i] = d;
        }
        StringBuilder stores = new StringBuilder();
        StringBuilder reads = new StringBuilder("HELLO 3\r\n");
        RespWriter resp2 = new RespWriter(2);
        RespWriter resp3 = new RespWriter(3);
        for (int i = 0; i < values.length; i++) {
            stores.append("ZADD d").append(i).append(' ').append(values[i]).append(" m\r\n");
            stores.append("ZSCORE d").append(i).append(" m\r\n");
            reads.append("ZSCORE d").append(i).append(" m\r\n");
            resp2.writeInteger(1);
            resp2.writeDouble(values[i]);
            resp3.writeDouble(values[i]);
        }
        byte[] reply2 = redis.exchange(bytes(stores.toString()), resp2.toByteArray()).reply();
        assertThat(text(reply2)).as("seed %d", seed).isEqualTo(text(resp2.toByteArray()));
        byte[] expected3 = resp3.toByteArray();
        byte[] reply3 = redis.exchange(bytes(reads.toString()), expected3).reply();
        assertThat(text(Arrays.copyOfRange(reply3, Math.max(0, reply3.length - expected3.length), reply3.length)))
                .as("seed %d", seed).isEqualTo(text(expected3));
        redis.exchange(bytes("FLUSHALL\r\n"), bytes("+OK\r\n"));
    }

    private static String abbreviate(String input) {
        return input.length() > 40 ? input.substring(0, 40) + "..." : input;
    }
}
