package dev.cairn.dictionary.internal;

/**
 * CRC-64 with the Jones polynomial, as Redis's {@code crc64.c} computes it for DUMP payloads and
 * RDB files: polynomial 0xad93d23594c935a9, input and output reflected, initial value 0, no final
 * xor (check value of "123456789": 0xe9c6d914c4b8d9ca). Table-driven, one byte per step, over the
 * reflected polynomial 0x95ac9329ac4bc9b5. The parameters are those of the "Jones" model in Greg
 * Cook's CRC catalogue, which Redis's file cites.
 *
 * <p>Stateless; thread-safe.
 */
final class Crc64 {
    private static final long REFLECTED_POLYNOMIAL = 0x95AC_9329_AC4B_C9B5L;
    private static final long[] TABLE = new long[256];

    static {
        for (int b = 0; b < 256; b++) {
            long crc = b;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ REFLECTED_POLYNOMIAL : crc >>> 1;
            }
            TABLE[b] = crc;
        }
    }

    private Crc64() {
    }

    /** The CRC of {@code length} bytes of {@code data} from {@code offset}, continuing from {@code crc} (0 to start). */
    static long update(long crc, byte[] data, int offset, int length) {
        long c = crc;
        for (int i = offset; i < offset + length; i++) {
            c = TABLE[(int) ((c ^ data[i]) & 0xFF)] ^ (c >>> 8);
        }
        return c;
    }
}
