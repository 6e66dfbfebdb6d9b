package dev.cairn.server.redis;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ReferenceCountUtil;
import java.util.List;

/**
 * The Netty handler of the request side of RESP: reads a connection's bytes and passes on, in
 * order, one {@link RespCommand} per command the client sent, as {@link RespRequestParser} reads
 * them (its class comment states the framing, limits and error texts).
 *
 * <p>When the client breaks the protocol, the last message this handler passes on is the
 * {@link RespProtocolException} itself (after the commands that came before the bad bytes, which
 * Redis runs too): the next handler writes its {@linkplain RespProtocolException#errorReply() error
 * reply}, if it has one, and closes the connection. Every byte after that is dropped unread.
 *
 * <p>The query buffer limit is checked on each read, over the bytes this handler has accumulated
 * plus the read, before they are parsed, as Redis checks after each read.
 *
 * <p>Not thread-safe and not sharable: one instance per channel, called on its event loop.
 */
final class RespDecoder extends ByteToMessageDecoder {
    private final RespRequestParser parser;
    private boolean failed;

    /** A decoder with Redis's default limits. */
    public RespDecoder() {
        this(RespLimits.defaults());
    }

    /** A decoder with {@code limits}. */
    public RespDecoder(RespLimits limits) {
        this.parser = new RespRequestParser(limits);
    }

    /** See {@link RespRequestParser#setAuthenticated(boolean)}; call it on the channel's event loop. */
    public void setAuthenticated(boolean authenticated) {
        parser.setAuthenticated(authenticated);
    }

    /** The bytes held for unfinished commands: this handler's buffer's capacity plus the parser's. */
    long heldBytes() {
        return internalBuffer().capacity() + parser.heldBytes();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (failed) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof ByteBuf bytes) {
            try {
                parser.checkQueryBuffer((long) internalBuffer().readableBytes() + bytes.readableBytes());
            } catch (RespProtocolException e) {
                failed = true;
                bytes.release();
                ctx.fireChannelRead(e);
                return;
            }
        }
        super.channelRead(ctx, msg);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            RespCommand command;
            while ((command = parser.parse(in)) != null) {
                out.add(command);
            }
        } catch (RespProtocolException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            out.add(e);
        }
    }
}
