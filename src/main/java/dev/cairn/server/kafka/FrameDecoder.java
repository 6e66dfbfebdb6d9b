package dev.cairn.server.kafka;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.ByteBuffer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits a connection's bytes into Kafka request frames: a 4-byte big-endian size, then that many
 * bytes. Emits each frame's bytes as a heap {@link ByteBuffer} of its own (the request parsed from
 * it may keep views of it, such as a produce request's records). A size below 8 (no room for a
 * request header) or above the limit closes the connection, as Kafka's broker does for sizes over
 * {@code socket.request.max.bytes}, before any of the frame is buffered.
 *
 * <p>Not thread-safe; owned by its channel's event loop.
 */
final class FrameDecoder extends ByteToMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(FrameDecoder.class);
    /** api key (2) + api version (2) + correlation id (4): the least a request header holds. */
    static final int MIN_FRAME_BYTES = 8;

    private final int maxFrameBytes;

    FrameDecoder(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= 4) {
            int size = in.getInt(in.readerIndex());
            if (size < MIN_FRAME_BYTES || size > maxFrameBytes) {
                LOG.debug("closing {}: request frame of {} bytes, outside [{}, {}]", ctx.channel().remoteAddress(),
                        size, MIN_FRAME_BYTES, maxFrameBytes);
                in.skipBytes(in.readableBytes());
                ctx.close();
                return;
            }
            if (in.readableBytes() < 4 + size) {
                return;
            }
            in.skipBytes(4);
            byte[] frame = new byte[size];
            in.readBytes(frame);
            out.add(ByteBuffer.wrap(frame));
        }
    }
}
