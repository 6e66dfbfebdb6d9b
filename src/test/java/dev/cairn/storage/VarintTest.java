package dev.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VarintTest {
    @Test
    void intsRoundTripInTheirStatedSize() {
        int[] values = {0, 1, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, 268_435_455, 268_435_456,
            Integer.MAX_VALUE};
        int[] sizes = {1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5};
        for (int i = 0; i < values.length; i++) {
            ByteBuffer buffer = ByteBuffer.allocate(8);
            Varint.put(buffer, values[i]);
            assertThat(buffer.position()).as("%d", values[i]).isEqualTo(sizes[i]).isEqualTo(Varint.size(values[i]));
            assertThat(Varint.get(buffer.flip())).isEqualTo(values[i]);
            assertThat(buffer.hasRemaining()).isFalse();
        }
    }

    @Test
    void zigzagLongsRoundTripWithSmallMagnitudesInOneByte() {
        long[] values = {0, -1, 1, -64, 63, -65, 64, Integer.MIN_VALUE, Integer.MAX_VALUE, Long.MIN_VALUE,
            Long.MAX_VALUE};
        int[] sizes = {1, 1, 1, 1, 1, 2, 2, 5, 5, 10, 10};
        Random random = new Random(42);
        for (int i = 0; i < values.length + 1000; i++) {
            long v = i < values.length ? values[i] : random.nextLong() >> random.nextInt(64);
            ByteBuffer buffer = ByteBuffer.allocate(Varint.MAX_LONG_BYTES);
            Varint.putZigZag(buffer, v);
            assertThat(buffer.position()).as("%d", v).isEqualTo(Varint.sizeZigZag(v));
            if (i < values.length) {
                assertThat(buffer.position()).as("%d", v).isEqualTo(sizes[i]);
            }
            assertThat(Varint.getZigZag(buffer.flip())).isEqualTo(v);
        }
    }

    @Test
    void malformedBytesAreRefusedNotMisread() {
        byte[] sixBytes = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0};
        assertThatThrownBy(() -> Varint.get(ByteBuffer.wrap(sixBytes))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("longer than 5");
        byte[] thirtyTwoBits = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F};
        assertThatThrownBy(() -> Varint.get(ByteBuffer.wrap(thirtyTwoBits)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("31 bits");
        byte[] cut = {(byte) 0x80};
        assertThatThrownBy(() -> Varint.get(ByteBuffer.wrap(cut))).isInstanceOf(BufferUnderflowException.class);
        byte[] elevenBytes = new byte[11];
        java.util.Arrays.fill(elevenBytes, (byte) 0x80);
        assertThatThrownBy(() -> Varint.getZigZag(ByteBuffer.wrap(elevenBytes)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
