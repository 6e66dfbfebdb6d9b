package dev.cairn.dictionary;

import java.nio.charset.StandardCharsets;

/**
 * The one mapping between the byte strings Redis clients use as keys (and hash fields) and the
 * {@code String}s of the Java API, so that any bytes can be a key and every key has one name.
 *
 * <p>A key's bytes are read as UTF-8. Each well-formed sequence becomes its character, as
 * {@code new String(bytes, UTF_8)} would give; each byte that is not part of a well-formed
 * sequence becomes the unpaired surrogate {@code U+DC80..U+DCFF} holding it ({@code U+DC00 + byte}).
 * Going back, characters are encoded as UTF-8 and those unpaired surrogates as their byte. So:
 * <ul>
 *   <li>a text key written through the Java API is stored as its UTF-8 bytes, as a client
 *       sending the same text would send it;</li>
 *   <li>any byte string survives the round trip {@code toBytes(fromBytes(b))} unchanged;</li>
 *   <li>a {@code String} is a key name only if it is {@linkplain #isCanonical canonical}: the
 *       round trip the other way gives it back. Unpaired surrogates other than the escapes, and
 *       escapes that spell a well-formed sequence (which the bytes would decode to as text), are
 *       not; the dictionary refuses them as keys.</li>
 * </ul>
 * The persistence files store keys and hash fields as these bytes, so a key written over the
 * network and one written through the Java API are the same key after a restart.
 *
 * <p>Stateless; thread-safe.
 */
public final class BinaryKeys {
    private static final char ESCAPE_BASE = 0xDC00;

    private BinaryKeys() {
    }

    /** The key named by {@code bytes} (all of them). */
    public static String fromBytes(byte[] bytes) {
        return fromBytes(bytes, 0, bytes.length);
    }

    /** The key named by {@code length} bytes of {@code bytes} from {@code offset}. */
    public static String fromBytes(byte[] bytes, int offset, int length) {
        int end = offset + length;
        int i = offset;
        while (i < end && bytes[i] >= 0) {
            i++;
        }
        if (i == end) {
            return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
        }
        StringBuilder text = new StringBuilder(length);
        for (int k = offset; k < i; k++) {
            text.append((char) bytes[k]);
        }
        while (i < end) {
            int b = bytes[i];
            if (b >= 0) {
                text.append((char) b);
                i++;
                continue;
            }
            int lead = b & 0xFF;
            int n = sequenceLength(bytes, i, end, lead);
            if (n == 0) {
                text.append((char) (ESCAPE_BASE + lead));
                i++;
            } else if (n == 2) {
                text.append((char) (((lead & 0x1F) << 6) | (bytes[i + 1] & 0x3F)));
                i += 2;
            } else if (n == 3) {
                text.append((char) (((lead & 0x0F) << 12) | ((bytes[i + 1] & 0x3F) << 6) | (bytes[i + 2] & 0x3F)));
                i += 3;
            } else {
                int codePoint = ((lead & 0x07) << 18) | ((bytes[i + 1] & 0x3F) << 12)
                        | ((bytes[i + 2] & 0x3F) << 6) | (bytes[i + 3] & 0x3F);
                text.appendCodePoint(codePoint);
                i += 4;
            }
        }
        return text.toString();
    }

    /**
     * The length of the well-formed UTF-8 sequence starting at {@code i} with {@code lead}
     * (a byte of 0x80 or more), or 0 if there is none: overlong forms, surrogates and code points
     * past U+10FFFF are not well formed, as the Unicode standard says.
     */
    private static int sequenceLength(byte[] bytes, int i, int end, int lead) {
        int n;
        int low = 0x80;
        int high = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            n = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            n = 3;
            if (lead == 0xE0) {
                low = 0xA0;
            } else if (lead == 0xED) {
                high = 0x9F;
            }
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            n = 4;
            if (lead == 0xF0) {
                low = 0x90;
            } else if (lead == 0xF4) {
                high = 0x8F;
            }
        } else {
            return 0;
        }
        if (i + n > end) {
            return 0;
        }
        int second = bytes[i + 1] & 0xFF;
        if (second < low || second > high) {
            return 0;
        }
        for (int k = 2; k < n; k++) {
            if ((bytes[i + k] & 0xC0) != 0x80) {
                return 0;
            }
        }
        return n;
    }

    /**
     * The bytes of {@code key}. Never fails: an unpaired surrogate that is not an escape (which
     * {@link #isCanonical} refuses) is written as {@code '?'}, as the JDK's UTF-8 encoder does.
     */
    public static byte[] toBytes(String key) {
        int length = key.length();
        int i = 0;
        while (i < length && !Character.isSurrogate(key.charAt(i))) {
            i++;
        }
        if (i == length) {
            return key.getBytes(StandardCharsets.UTF_8);
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(length + 16);
        out.writeBytes(key.substring(0, i).getBytes(StandardCharsets.UTF_8));
        while (i < length) {
            char c = key.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(key.charAt(i + 1))) {
                out.writeBytes(key.substring(i, i + 2).getBytes(StandardCharsets.UTF_8));
                i += 2;
            } else if (c >= ESCAPE_BASE + 0x80 && c <= ESCAPE_BASE + 0xFF) {
                out.write(c - ESCAPE_BASE);
                i++;
            } else if (Character.isSurrogate(c)) {
                out.write('?');
                i++;
            } else {
                int from = i;
                while (i < length && !Character.isSurrogate(key.charAt(i))) {
                    i++;
                }
                out.writeBytes(key.substring(from, i).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    /**
     * Whether {@code key} names a key: true for every string without surrogates, and for one with
     * surrogates when {@code fromBytes(toBytes(key))} gives it back.
     */
    public static boolean isCanonical(String key) {
        for (int i = 0; i < key.length(); i++) {
            if (Character.isSurrogate(key.charAt(i))) {
                return fromBytes(toBytes(key)).equals(key);
            }
        }
        return true;
    }
}
