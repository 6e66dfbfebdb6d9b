package dev.cairn.server.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RespDecoderTest {
    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    }

    private static List<Object> drain(EmbeddedChannel channel) {
        List<Object> messages = new ArrayList<>();
        Object message;
        while ((message = channel.readInbound()) != null) {
            messages.add(message);
        }
        return messages;
    }

    @Test
    void passesOnCommandsSplitAcrossReads() {
        EmbeddedChannel channel = new EmbeddedChannel(new RespDecoder());
        channel.writeInbound(bytes("*2\r\n$4\r\nECHO\r\n$2\r\nh"));
        assertThat(drain(channel)).isEmpty();
        channel.writeInbound(bytes("i\r\nPING\r\n*1\r\n$4\r\nPI"));
        channel.writeInbound(bytes("NG\r\n"));
        assertThat(drain(channel)).containsExactly(RespCommand.of("ECHO", "hi"), RespCommand.of("PING"),
                RespCommand.of("PING"));
        assertThat(channel.finish()).isFalse();
    }

    // Commands before the bad bytes are passed on, then the error; what follows is dropped.
    @Test
    void passesOnTheProtocolErrorLastAndDropsWhatFollows() {
        EmbeddedChannel channel = new EmbeddedChannel(new RespDecoder());
        channel.writeInbound(bytes("PING\r\n*1\r\nx\r\nPING\r\n"));
        List<Object> messages = drain(channel);
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0)).isEqualTo(RespCommand.of("PING"));
        assertThat(messages.get(1)).isInstanceOfSatisfying(RespProtocolException.class, e -> assertThat(
                new String(e.errorReply(), StandardCharsets.US_ASCII)).isEqualTo("ERR Protocol error: expected '$', got 'x'"));
        ByteBuf later = bytes("PING\r\n");
        channel.writeInbound(later);
        assertThat(later.refCnt()).isZero();
        assertThat(drain(channel)).isEmpty();
        channel.finishAndReleaseAll();
    }

    @Test
    void closesWithoutAReplyPastTheQueryBufferLimit() {
        EmbeddedChannel channel = new EmbeddedChannel(
                new RespDecoder(new RespLimits(RespLimits.DEFAULT_MAX_BULK_BYTES, RespLimits.MIN_LIMIT_BYTES)));
        channel.writeInbound(bytes("*1\r\n$2000000\r\n"));
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[1_048_576]));
        assertThat(drain(channel)).isEmpty();
        ByteBuf past = Unpooled.wrappedBuffer(new byte[1]);
        channel.writeInbound(past);
        assertThat(past.refCnt()).isZero();
        List<Object> messages = drain(channel);
        assertThat(messages).singleElement().isInstanceOfSatisfying(RespProtocolException.class,
                e -> assertThat(e.hasErrorReply()).isFalse());
        channel.finishAndReleaseAll();
    }

    @Test
    void theUnauthenticatedLimitsFollowTheFlag() {
        RespDecoder decoder = new RespDecoder();
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        decoder.setAuthenticated(false);
        channel.writeInbound(bytes("*11\r\n"));
        assertThat(drain(channel)).singleElement().isInstanceOfSatisfying(RespProtocolException.class,
                e -> assertThat(e).hasMessage("ERR Protocol error: unauthenticated multibulk length"));
        channel.finishAndReleaseAll();
    }

    // A client declares a 512 MiB argument, then sends a count and nothing more, then a trickle:
    // what the handler holds stays near what arrived.
    @Test
    void hostileDeclaredLengthsKeepMemorySmall() {
        RespDecoder decoder = new RespDecoder();
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        channel.writeInbound(bytes("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$536870912\r\n"));
        assertThat(decoder.heldBytes()).isLessThan(1024);
        long received = 0;
        for (int i = 0; i < 50; i++) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[10_000]));
            received += 10_000;
            assertThat(decoder.heldBytes()).isLessThanOrEqualTo(2 * received + 2 * RespRequestParser.BIG_ARGUMENT_BYTES + 1024);
        }
        assertThat(drain(channel)).isEmpty();

        RespDecoder counted = new RespDecoder();
        EmbeddedChannel countThenEof = new EmbeddedChannel(counted);
        countThenEof.writeInbound(bytes("*2147483647\r\n"));
        assertThat(counted.heldBytes()).isLessThan(1024);
        assertThat(countThenEof.finish()).isFalse();
        channel.finishAndReleaseAll();
    }

    @Test
    void nonRespBytesAreInlineCommandsUntilTheLimit() {
        EmbeddedChannel channel = new EmbeddedChannel(new RespDecoder());
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0x16, 3, 1, 2, 0, 1, 0}));
        assertThat(drain(channel)).isEmpty();
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[70_000]));
        assertThat(drain(channel)).singleElement().isInstanceOfSatisfying(RespProtocolException.class,
                e -> assertThat(e).hasMessage("ERR Protocol error: too big inline request"));
        channel.finishAndReleaseAll();
    }
}
