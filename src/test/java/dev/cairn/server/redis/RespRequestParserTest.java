package dev.cairn.server.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RespRequestParserTest {
    private static final RespLimits DEFAULTS = RespLimits.defaults();

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** Feeds {@code input} in pieces cut at {@code cuts}, collecting what the parser returns. */
    private static List<RespCommand> parse(RespRequestParser parser, byte[] input, int... cuts) {
        List<RespCommand> commands = new ArrayList<>();
        ByteBuf buffer = Unpooled.buffer();
        int from = 0;
        int[] ends = Arrays.copyOf(cuts, cuts.length + 1);
        ends[cuts.length] = input.length;
        for (int end : ends) {
            buffer.writeBytes(input, from, end - from);
            from = end;
            RespCommand command;
            while ((command = parser.parse(buffer)) != null) {
                commands.add(command);
            }
            buffer.discardReadBytes();
        }
        return commands;
    }

    private static List<RespCommand> parse(byte[] input) {
        return parse(new RespRequestParser(DEFAULTS), input);
    }

    private static byte[] encode(RespCommand... commands) {
        RespWriter writer = new RespWriter(2);
        for (RespCommand command : commands) {
            writer.writeCommand(command);
        }
        return writer.toByteArray();
    }

    @Test
    void readsAMultibulkCommand() {
        assertThat(parse(bytes("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n")))
                .containsExactly(RespCommand.of("SET", "k", "value"));
    }

    // Arguments go into an array sized by the declared count up to a ceiling, then grown: a
    // command past the ceiling, cut anywhere, arrives whole and in order.
    @Test
    void readsACommandWithMoreArgumentsThanThePreallocatedCeiling() {
        String[] arguments = new String[3001];
        arguments[0] = "SADD";
        for (int i = 1; i < arguments.length; i++) {
            arguments[i] = "m" + i;
        }
        RespCommand big = RespCommand.of(arguments);
        byte[] input = encode(big, RespCommand.of("PING"));
        assertThat(parse(new RespRequestParser(DEFAULTS), input, 10, 5000, input.length / 2, input.length - 3))
                .containsExactly(big, RespCommand.of("PING"));
    }

    @Test
    void readsInlineCommandsEndedByLfOrCrLfAndSkipsBlankLines() {
        assertThat(parse(bytes("PING\n\r\n   \r\nECHO  a\tb \r\n\nGET x\r\n")))
                .containsExactly(RespCommand.of("PING"), RespCommand.of("ECHO", "a", "b"), RespCommand.of("GET", "x"));
    }

    @Test
    void skipsMultibulkRequestsWithoutArguments() {
        assertThat(parse(bytes("*0\r\n*-1\r\n*-2147483648\r\n*1\r\n$4\r\nPING\r\n")))
                .containsExactly(RespCommand.of("PING"));
    }

    @Test
    void readsEmptyAndBinaryArguments() {
        byte[] binary = {0, '\r', '\n', (byte) 0xFF, '*', '$'};
        RespCommand command = RespCommand.of(bytes("SET"), new byte[0], binary);
        assertThat(parse(encode(command))).containsExactly(command);
    }

    // Redis skips the two bytes after an argument and the byte after a header's \r unchecked.
    @Test
    void skipsTheBytesAfterABodyAndAfterAHeadersCrUnchecked() {
        assertThat(parse(bytes("*1\rx$4\ryPINGzz*1\r\n$4\r\nPING\r\n")))
                .containsExactly(RespCommand.of("PING"), RespCommand.of("PING"));
    }

    // A mixed pipeline, cut into two pieces at every byte boundary (inside the long argument's body,
    // only near its ends), and fed one byte at a time.
    @Test
    void aPipelineSplitAtEveryBoundaryReadsTheSame() {
        byte[] big = new byte[RespRequestParser.BIG_ARGUMENT_BYTES + 5];
        new Random(7).nextBytes(big);
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        input.writeBytes(encode(RespCommand.of("SET", "key", "value")));
        input.writeBytes(bytes("\r\nGET \"a\\x41 b\" 'c\\'d'\r\n*0\r\n"));
        input.writeBytes(encode(RespCommand.of(bytes("SET"), bytes("big"), big)));
        input.writeBytes(bytes("PING\n"));
        input.writeBytes(encode(RespCommand.of(bytes("ECHO"), new byte[0])));
        byte[] all = input.toByteArray();
        List<RespCommand> expected = List.of(RespCommand.of("SET", "key", "value"), RespCommand.of("GET", "aA b", "c'd"),
                RespCommand.of(bytes("SET"), bytes("big"), big), RespCommand.of("PING"),
                RespCommand.of(bytes("ECHO"), new byte[0]));

        assertThat(parse(all)).containsExactlyElementsOf(expected);
        int bigStart = encode(RespCommand.of("SET", "key", "value")).length + 40;
        for (int cut = 0; cut <= all.length; cut++) {
            if (cut > bigStart + 100 && cut < bigStart + big.length - 100) {
                continue;
            }
            assertThat(parse(new RespRequestParser(DEFAULTS), all, cut)).as("cut at %d", cut)
                    .containsExactlyElementsOf(expected);
        }
        int[] everyByte = new int[all.length - 1];
        Arrays.setAll(everyByte, i -> i + 1);
        assertThat(parse(new RespRequestParser(DEFAULTS), all, everyByte)).containsExactlyElementsOf(expected);
    }

    // Random binary commands: written as multibulk arrays by RespWriter, read back in random pieces.
    @Test
    void randomBinaryCommandsRoundTripThroughTheWriter() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int round = 0; round < 200; round++) {
            List<RespCommand> commands = new ArrayList<>();
            for (int c = 1 + random.nextInt(5); c > 0; c--) {
                byte[][] arguments = new byte[1 + random.nextInt(6)][];
                for (int a = 0; a < arguments.length; a++) {
                    int length = random.nextInt(10) == 0 ? random.nextInt(100_000) : random.nextInt(20);
                    arguments[a] = new byte[length];
                    random.nextBytes(arguments[a]);
                }
                commands.add(RespCommand.of(arguments));
            }
            byte[] input = encode(commands.toArray(new RespCommand[0]));
            int[] cuts = random.ints(random.nextInt(8), 0, input.length + 1).sorted().toArray();
            assertThat(parse(new RespRequestParser(DEFAULTS), input, cuts))
                    .as("seed %d round %d cuts %s", seed, round, Arrays.toString(cuts))
                    .containsExactlyElementsOf(commands);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "SET a b|SET,a,b",
        "  SET   a  b  |SET,a,b",
        "SET \"a b\" c|SET,a b,c",
        "SET 'a b' c|SET,a b,c",
        "SET \"\\x41\\x4a\\x4A\\xZZ\" c|SET,AJJxZZ,c",
        "SET \"a\\\"b\\\\c\\q\" x|SET,a\"b\\cq,x",
        "SET 'a\\'b\\\"c' x|SET,a'b\\\"c,x",
        "SET a\"b c\" x|SET,ab c,x",
        "SET \"\" ''|SET,,",
        "SET \"a\"|SET,a",
    })
    void splitsInlineArgumentsWithRedisQuoting(String line, String expected) {
        List<RespCommand> commands = parse(bytes(line + "\r\n"));
        assertThat(commands).hasSize(1);
        RespCommand command = commands.get(0);
        List<String> arguments = new ArrayList<>();
        for (int i = 0; i < command.size(); i++) {
            arguments.add(command.argumentString(i));
        }
        assertThat(String.join(",", arguments)).isEqualTo(expected);
    }

    @Test
    void unescapesControlCharactersInDoubleQuotes() {
        assertThat(parse(bytes("ECHO \"\\n\\r\\t\\b\\a\\x00\\xff\"\n")))
                .containsExactly(RespCommand.of(bytes("ECHO"), new byte[] {'\n', '\r', '\t', '\b', 7, 0, (byte) 0xFF}));
    }

    static List<String[]> errors() {
        return List.of(
                new String[] {"*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n", "ERR Protocol error: expected '$', got 'f'"},
                new String[] {"*1\r\n\r\n", "ERR Protocol error: expected '$', got ' '"},
                new String[] {"*1\r\n\u00e9\r\n", "ERR Protocol error: expected '$', got '\u00e9'"},
                new String[] {"*2147483648\r\n", "ERR Protocol error: invalid multibulk length"},
                new String[] {"*abc\r\n", "ERR Protocol error: invalid multibulk length"},
                new String[] {"*-0\r\n", "ERR Protocol error: invalid multibulk length"},
                new String[] {"*01\r\n", "ERR Protocol error: invalid multibulk length"},
                new String[] {"*+1\r\n", "ERR Protocol error: invalid multibulk length"},
                new String[] {"*\r\n", "ERR Protocol error: invalid multibulk length"},
                new String[] {"*99999999999999999999\r\n", "ERR Protocol error: invalid multibulk length"},
                new String[] {"*1\r\n$-1\r\n", "ERR Protocol error: invalid bulk length"},
                new String[] {"*1\r\n$04\r\n", "ERR Protocol error: invalid bulk length"},
                new String[] {"*1\r\n$abc\r\n", "ERR Protocol error: invalid bulk length"},
                new String[] {"*1\r\n$536870913\r\n", "ERR Protocol error: invalid bulk length"},
                new String[] {"ECHO \"abc\r\n", "ERR Protocol error: unbalanced quotes in request"},
                new String[] {"ECHO \"a\"b\r\n", "ERR Protocol error: unbalanced quotes in request"},
                new String[] {"ECHO 'a'b\r\n", "ERR Protocol error: unbalanced quotes in request"},
                new String[] {"a".repeat(65537), "ERR Protocol error: too big inline request"},
                new String[] {"*" + "1".repeat(65536), "ERR Protocol error: too big mbulk count string"},
                new String[] {"*1\r\n$" + "1".repeat(65536), "ERR Protocol error: too big bulk count string"},
                new String[] {"PING\u0000\n" + "a".repeat(65536), "ERR Protocol error: too big inline request"});
    }

    @Test
    void eachProtocolErrorHasRedisText() {
        for (String[] error : errors()) {
            RespRequestParser parser = new RespRequestParser(DEFAULTS);
            assertThatThrownBy(() -> parse(parser, bytes(error[0])))
                    .as("input %s", error[0].length() > 40 ? error[0].substring(0, 40) + "..." : error[0])
                    .isInstanceOfSatisfying(RespProtocolException.class,
                            e -> assertThat(text(e.errorReply())).isEqualTo(error[1]));
        }
    }

    @Test
    void limitsAreJustPastTheirThresholds() {
        assertThat(parse(bytes("a".repeat(65536)))).isEmpty();
        assertThat(parse(bytes("*" + "1".repeat(65535)))).isEmpty();
        assertThat(parse(bytes("*2147483647\r\n"))).isEmpty();
        assertThat(parse(bytes("*1\r\n$536870912\r\n"))).isEmpty();
        RespRequestParser small = new RespRequestParser(new RespLimits(RespLimits.MIN_LIMIT_BYTES, RespLimits.MIN_LIMIT_BYTES));
        assertThatThrownBy(() -> parse(small, bytes("*1\r\n$1048577\r\n")))
                .hasMessage("ERR Protocol error: invalid bulk length");
    }

    @Test
    void anUnauthenticatedClientGetsAtMostTenArgumentsOf16384Bytes() {
        RespRequestParser parser = new RespRequestParser(DEFAULTS);
        parser.setAuthenticated(false);
        byte[] ten = encode(RespCommand.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"));
        assertThat(parse(parser, ten)).hasSize(1);
        assertThat(parse(parser, encode(RespCommand.of(bytes("AUTH"), new byte[16384])))).hasSize(1);
        assertThatThrownBy(() -> parse(parser, bytes("*11\r\n")))
                .hasMessage("ERR Protocol error: unauthenticated multibulk length");

        RespRequestParser other = new RespRequestParser(DEFAULTS);
        other.setAuthenticated(false);
        assertThatThrownBy(() -> parse(other, bytes("*1\r\n$16385\r\n")))
                .hasMessage("ERR Protocol error: unauthenticated bulk length");

        RespRequestParser loggedIn = new RespRequestParser(DEFAULTS);
        loggedIn.setAuthenticated(false);
        loggedIn.setAuthenticated(true);
        assertThat(parse(loggedIn, encode(RespCommand.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k")))).hasSize(1);
    }

    @Test
    void aFailedParserKeepsFailing() {
        RespRequestParser parser = new RespRequestParser(DEFAULTS);
        assertThatThrownBy(() -> parse(parser, bytes("*x\r\n"))).isInstanceOf(RespProtocolException.class);
        ByteBuf good = Unpooled.wrappedBuffer(bytes("PING\r\n"));
        assertThatThrownBy(() -> parser.parse(good)).hasMessage("ERR Protocol error: invalid multibulk length");
        assertThat(good.readableBytes()).isEqualTo(6);
    }

    @Test
    void truncatedFramesWaitForMoreBytes() {
        for (String truncated : List.of("*", "*3", "*3\r", "*3\r\n", "*3\r\n$", "*3\r\n$3", "*3\r\n$3\r\nSE",
                "*3\r\n$3\r\nSET\r", "*3\r\n$3\r\nSET\r\n", "PING", "PING\r", "ECHO \"a b")) {
            RespRequestParser parser = new RespRequestParser(DEFAULTS);
            assertThat(parse(parser, bytes(truncated))).as(truncated).isEmpty();
        }
    }

    // strchr stops at a NUL byte: a header or inline line with a NUL before its end never completes.
    @Test
    void aNulByteBeforeTheLineEndHoldsTheRequestBack() {
        assertThat(parse(bytes("PING\u0000\r\n"))).isEmpty();
        assertThat(parse(bytes("*1\u0000\r\n$4\r\nPING\r\n"))).isEmpty();
    }

    // A client declares the largest argument and sends nothing, then a little: nothing is allocated
    // for the declared length, and what is held grows with what arrives.
    @Test
    void aHugeDeclaredLengthAllocatesOnlyForBytesReceived() {
        RespRequestParser parser = new RespRequestParser(DEFAULTS);
        ByteBuf in = Unpooled.buffer();
        in.writeBytes(bytes("*2\r\n$3\r\nSET\r\n$536870912\r\n"));
        assertThat(parser.parse(in)).isNull();
        assertThat(parser.heldBytes()).isEqualTo(3);
        byte[] chunk = new byte[100_000];
        long received = 0;
        for (int i = 0; i < 30; i++) {
            in.writeBytes(chunk);
            received += chunk.length;
            assertThat(parser.parse(in)).isNull();
            in.discardReadBytes();
            assertThat(in.readableBytes()).isZero();
            assertThat(parser.heldBytes()).isLessThanOrEqualTo(3 + Math.max(2 * received, 2L * RespRequestParser.BIG_ARGUMENT_BYTES));
        }
    }

    @Test
    void aBigArgumentStreamedInPiecesIsWhole() {
        byte[] value = new byte[1_000_003];
        new Random(3).nextBytes(value);
        byte[] input = encode(RespCommand.of(bytes("SET"), bytes("k"), value), RespCommand.of("PING"));
        int[] cuts = new int[input.length / 4096];
        Arrays.setAll(cuts, i -> (i + 1) * 4096 - 7);
        RespRequestParser parser = new RespRequestParser(DEFAULTS);
        assertThat(parse(parser, input, cuts))
                .containsExactly(RespCommand.of(bytes("SET"), bytes("k"), value), RespCommand.of("PING"));
        assertThat(parser.heldBytes()).isZero();
    }

    @Test
    void theQueryBufferLimitClosesWithoutAReply() {
        RespRequestParser parser = new RespRequestParser(new RespLimits(RespLimits.DEFAULT_MAX_BULK_BYTES, RespLimits.MIN_LIMIT_BYTES));
        parser.checkQueryBuffer(RespLimits.MIN_LIMIT_BYTES);
        ByteBuf in = Unpooled.buffer();
        in.writeBytes(bytes("*1\r\n$2000000\r\n"));
        in.writeBytes(new byte[1_000_000]);
        assertThat(parser.parse(in)).isNull();
        parser.checkQueryBuffer(48_576);
        assertThatThrownBy(() -> parser.checkQueryBuffer(48_577))
                .isInstanceOfSatisfying(RespProtocolException.class, e -> {
                    assertThat(e.hasErrorReply()).isFalse();
                    assertThat(e).hasMessageContaining("1048577 bytes, past the limit of 1048576");
                });
        assertThatThrownBy(() -> parser.parse(in)).isInstanceOf(RespProtocolException.class);
    }

    @Test
    void limitsRefuseValuesRedisRefuses() {
        assertThatThrownBy(() -> new RespLimits(1024, RespLimits.DEFAULT_QUERY_BUFFER_LIMIT_BYTES))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBulkBytes");
        assertThatThrownBy(() -> new RespLimits(RespLimits.DEFAULT_MAX_BULK_BYTES, 1024))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("queryBufferLimitBytes");
        assertThatThrownBy(() -> new RespLimits(Integer.MAX_VALUE, RespLimits.DEFAULT_QUERY_BUFFER_LIMIT_BYTES))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
