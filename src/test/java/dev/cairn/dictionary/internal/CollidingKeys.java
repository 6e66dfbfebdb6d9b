package dev.cairn.dictionary.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Keys chosen to collide under the fast hashes: "Aa" and "BB" have the same
 * {@code String.hashCode} (and {@code Arrays.hashCode} of their bytes), so every string of
 * {@code blocks} such blocks has the same hash as every other; there are 2<sup>blocks</sup>.
 */
final class CollidingKeys {
    private CollidingKeys() {
    }

    /** The {@code count} (at most 2^blocks) first strings of {@code blocks} "Aa"/"BB" blocks, with one prefix. */
    static List<String> strings(String prefix, int blocks, int count) {
        List<String> keys = new ArrayList<>(count);
        for (int bits = 0; bits < count; bits++) {
            StringBuilder key = new StringBuilder(prefix);
            for (int b = 0; b < blocks; b++) {
                key.append((bits >> b & 1) == 0 ? "Aa" : "BB");
            }
            keys.add(key.toString());
        }
        return keys;
    }

    /** {@link #strings} as ASCII bytes: the same collisions under {@code Arrays.hashCode}. */
    static List<byte[]> bytes(String prefix, int blocks, int count) {
        List<byte[]> members = new ArrayList<>(count);
        for (String key : strings(prefix, blocks, count)) {
            members.add(key.getBytes(StandardCharsets.US_ASCII));
        }
        return members;
    }
}
