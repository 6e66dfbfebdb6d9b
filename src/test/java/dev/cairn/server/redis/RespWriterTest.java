package dev.cairn.server.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.dictionary.command.CDoubleFormat;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class RespWriterTest {
    private static String written(int protocol, Consumer<RespWriter> write) {
        RespWriter writer = new RespWriter(protocol);
        write.accept(writer);
        return new String(writer.toByteArray(), StandardCharsets.ISO_8859_1);
    }

    private static void assertBoth(Consumer<RespWriter> write, String resp2, String resp3) {
        assertThat(written(2, write)).as("RESP2").isEqualTo(resp2);
        assertThat(written(3, write)).as("RESP3").isEqualTo(resp3);
    }

    @Test
    void encodesEachTypeForBothProtocols() {
        assertBoth(w -> w.writeSimpleString("OK"), "+OK\r\n", "+OK\r\n");
        assertBoth(w -> w.writeError("WRONGTYPE Operation against a key"), "-WRONGTYPE Operation against a key\r\n",
                "-WRONGTYPE Operation against a key\r\n");
        assertBoth(w -> w.writeInteger(-42), ":-42\r\n", ":-42\r\n");
        assertBoth(w -> w.writeInteger(Long.MIN_VALUE), ":-9223372036854775808\r\n", ":-9223372036854775808\r\n");
        assertBoth(w -> w.writeBulk(new byte[] {'a', 0, '\r', '\n'}), "$4\r\na\u0000\r\n\r\n", "$4\r\na\u0000\r\n\r\n");
        assertBoth(w -> w.writeBulk(""), "$0\r\n\r\n", "$0\r\n\r\n");
        assertBoth(RespWriter::writeNullBulk, "$-1\r\n", "_\r\n");
        assertBoth(RespWriter::writeNullArray, "*-1\r\n", "_\r\n");
        assertBoth(w -> w.writeArrayLength(3), "*3\r\n", "*3\r\n");
        assertBoth(w -> w.writeMapLength(3), "*6\r\n", "%3\r\n");
        assertBoth(w -> w.writeSetLength(3), "*3\r\n", "~3\r\n");
        assertBoth(w -> w.writePushLength(2), "*2\r\n", ">2\r\n");
        assertBoth(w -> w.writeBoolean(true), ":1\r\n", "#t\r\n");
        assertBoth(w -> w.writeBoolean(false), ":0\r\n", "#f\r\n");
        assertBoth(w -> w.writeBigNumber("-1234567999999999999999999999999999999"),
                "$38\r\n-1234567999999999999999999999999999999\r\n", "(-1234567999999999999999999999999999999\r\n");
        assertBoth(w -> w.writeVerbatim("txt", "This is a verbatim\nstring"),
                "$25\r\nThis is a verbatim\nstring\r\n", "=29\r\ntxt:This is a verbatim\nstring\r\n");
        assertBoth(w -> w.writeVerbatim("md", "x"), "$1\r\nx\r\n", "=5\r\nmd :x\r\n");
    }

    @Test
    void writesIntegersAndLengthsInDecimalAtEveryWidthAndSign() {
        long[] values = {0, 7, 9, 10, 99, 100, -1, -10, 123_456_789, Long.MAX_VALUE, Long.MIN_VALUE,
            Long.MIN_VALUE + 1, Integer.MAX_VALUE + 1L};
        for (long value : values) {
            assertBoth(w -> w.writeInteger(value), ":" + value + "\r\n", ":" + value + "\r\n");
        }
        byte[] bulk = new byte[1234];
        assertThat(written(2, w -> w.writeBulk(bulk))).startsWith("$1234\r\n");
    }

    @Test
    void encodesDoublesAsPrintfPercent17g() {
        assertBoth(w -> w.writeDouble(0.1), "$19\r\n0.10000000000000001\r\n", ",0.10000000000000001\r\n");
        assertBoth(w -> w.writeDouble(Double.POSITIVE_INFINITY), "$3\r\ninf\r\n", ",inf\r\n");
        assertBoth(w -> w.writeDouble(Double.NEGATIVE_INFINITY), "$4\r\n-inf\r\n", ",-inf\r\n");
        assertBoth(w -> w.writeDouble(Double.NaN), "$3\r\nnan\r\n", ",nan\r\n");
        String[][] cases = {
            {"3.141", "3.141"}, {"1e300", "1.0000000000000001e+300"}, {"1.5e-7", "1.4999999999999999e-07"},
            {"0", "0"}, {"-0.0", "-0"}, {"1", "1"}, {"-2.5", "-2.5"}, {"1e16", "10000000000000000"},
            {"1e17", "1e+17"}, {"123456789012345678", "1.2345678901234568e+17"}, {"0.0001", "0.0001"},
            {"0.00001", "1.0000000000000001e-05"}, {"4.9e-324", "4.9406564584124654e-324"},
            {"1.7976931348623157e308", "1.7976931348623157e+308"}, {"100", "100"}, {"1e-4", "0.0001"},
            {"12345678901234567", "12345678901234568"}, {"9.9999999999999999e-5", "0.0001"},
        };
        for (String[] c : cases) {
            assertThat(CDoubleFormat.percent17g(Double.parseDouble(c[0]))).as(c[0]).isEqualTo(c[1]);
        }
        assertThat(CDoubleFormat.percent17g(Double.longBitsToDouble(0xFFF8000000000000L))).isEqualTo("-nan");
    }

    @Test
    void turnsCrAndLfInLinesIntoSpaces() {
        assertBoth(w -> w.writeSimpleString("a\r\nb"), "+a  b\r\n", "+a  b\r\n");
        assertBoth(w -> w.writeError("ERR bad\nthing"), "-ERR bad thing\r\n", "-ERR bad thing\r\n");
    }

    @Test
    void writesACommandAsAMultibulkArray() {
        assertThat(written(3, w -> w.writeCommand(RespCommand.of("SET", "k", ""))))
                .isEqualTo("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n");
    }

    // An outer map whose length is set last, around an inner array set first, and one set before its
    // inner one: each header lands where its handle was taken.
    @Test
    void deferredLengthsNestInEitherOrder() {
        assertBoth(w -> {
            RespWriter.DeferredLength outer = w.deferLength();
            w.writeBulk("k");
            RespWriter.DeferredLength inner = w.deferLength();
            w.writeInteger(1);
            w.writeInteger(2);
            w.setArrayLength(inner, 2);
            w.setMapLength(outer, 1);
        }, "*2\r\n$1\r\nk\r\n*2\r\n:1\r\n:2\r\n", "%1\r\n$1\r\nk\r\n*2\r\n:1\r\n:2\r\n");
        assertBoth(w -> {
            w.writeSimpleString("before");
            RespWriter.DeferredLength outer = w.deferLength();
            RespWriter.DeferredLength inner = w.deferLength();
            w.writeInteger(7);
            w.setSetLength(outer, 1);
            w.setPushLength(inner, 1);
        }, "+before\r\n*1\r\n*1\r\n:7\r\n", "+before\r\n~1\r\n>1\r\n:7\r\n");
    }

    @Test
    void refusesReadingWithAnUnsetDeferredLengthAndSettingOneTwice() {
        RespWriter writer = new RespWriter(3);
        RespWriter.DeferredLength handle = writer.deferLength();
        assertThatThrownBy(writer::toByteArray).isInstanceOf(IllegalStateException.class)
                .hasMessage("1 deferred length(s) not set yet");
        writer.setArrayLength(handle, 0);
        assertThat(writer.toByteArray()).isEqualTo("*0\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> writer.setArrayLength(handle, 0)).isInstanceOf(IllegalStateException.class);
        RespWriter other = new RespWriter(2);
        RespWriter.DeferredLength foreign = other.deferLength();
        assertThatThrownBy(() -> writer.setArrayLength(foreign, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesBadArguments() {
        RespWriter writer = new RespWriter(3);
        assertThatThrownBy(() -> new RespWriter(1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("RESP protocol must be 2 or 3, got 1");
        assertThatThrownBy(() -> writer.writeArrayLength(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.writeBigNumber("12a")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.writeBigNumber("-")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.writeVerbatim("text", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.writeError("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.writeBulk(new byte[3], 2, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(writer.size()).isZero();
    }

    @Test
    void switchesProtocolAndClears() {
        RespWriter writer = new RespWriter(2);
        writer.writeNullBulk();
        writer.setProtocol(3);
        writer.writeNullBulk();
        assertThat(new String(writer.toByteArray(), StandardCharsets.US_ASCII)).isEqualTo("$-1\r\n_\r\n");
        writer.deferLength();
        writer.clear();
        assertThat(writer.size()).isZero();
        assertThat(writer.toByteBuffer().remaining()).isZero();
        assertThat(writer.protocol()).isEqualTo(3);
    }
}
