package dev.cairn.cluster;

import java.nio.ByteBuffer;

/** Copying frames, as every transport does on send and on respond, so no two nodes share a buffer. */
final class Frames {
    private Frames() {
    }

    /** A new buffer holding {@code frame}'s remaining bytes; {@code frame}'s position is left as it was. */
    static ByteBuffer copyOf(ByteBuffer frame) {
        ByteBuffer copy = ByteBuffer.allocate(frame.remaining());
        copy.put(frame.duplicate());
        return copy.flip();
    }
}
