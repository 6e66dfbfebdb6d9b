package dev.cairn.dictionary.internal;

/**
 * LZF decompression, as Redis stores long strings in DUMP payloads and RDB files (Marc Lehmann's
 * liblzf format, {@code lzf_d.c}). A compressed stream is a sequence of:
 *
 * <pre>
 *   000LLLLL  then L+1 literal bytes                          (L in 0..31)
 *   LLLOOOOO  OOOOOOOO                  back reference, length L+2, L in 1..6
 *   111OOOOO  LLLLLLLL  OOOOOOOO        back reference, length L+9
 * </pre>
 *
 * where the 13-bit offset O counts back from the output position minus one. A reference may
 * overlap the bytes it produces (a run). Cairn only reads LZF: its own DUMP writes strings
 * uncompressed, which Redis accepts.
 *
 * <p>Stateless; thread-safe.
 */
final class Lzf {
    /**
     * The most output one input byte can produce: a 3-byte reference yields at most 264 bytes.
     * Bounds the length a payload may claim before anything is allocated.
     */
    static final int MAX_EXPANSION = 88;

    private Lzf() {
    }

    /**
     * Decompresses {@code length} bytes of {@code in} from {@code offset} into a new array of
     * exactly {@code expectedLength} bytes.
     *
     * @return the bytes, or null if the stream is malformed or does not produce exactly
     *         {@code expectedLength} bytes
     */
    static byte[] decompress(byte[] in, int offset, int length, int expectedLength) {
        if (expectedLength < 0 || (long) expectedLength > (long) length * MAX_EXPANSION) {
            return null;
        }
        byte[] out = new byte[expectedLength];
        int ip = offset;
        int end = offset + length;
        int op = 0;
        while (ip < end) {
            int ctrl = in[ip++] & 0xFF;
            if (ctrl < 32) {
                int run = ctrl + 1;
                if (ip + run > end || op + run > out.length) {
                    return null;
                }
                System.arraycopy(in, ip, out, op, run);
                ip += run;
                op += run;
            } else {
                int len = ctrl >>> 5;
                if (len == 7) {
                    if (ip >= end) {
                        return null;
                    }
                    len += in[ip++] & 0xFF;
                }
                if (ip >= end) {
                    return null;
                }
                int ref = op - ((ctrl & 0x1F) << 8) - 1 - (in[ip++] & 0xFF);
                len += 2;
                if (ref < 0 || op + len > out.length) {
                    return null;
                }
                // Byte by byte: the reference may overlap the bytes being produced.
                for (int i = 0; i < len; i++) {
                    out[op++] = out[ref++];
                }
            }
        }
        return op == expectedLength ? out : null;
    }
}
