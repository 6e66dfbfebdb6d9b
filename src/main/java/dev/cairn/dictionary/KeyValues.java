package dev.cairn.dictionary;

import java.util.List;
import java.util.Objects;

/**
 * Elements together with the key they came from: the answer of LMPOP and BLMPOP.
 *
 * @param key    the key popped from
 * @param values the elements, in the order they were popped
 */
public record KeyValues(String key, List<byte[]> values) {
    public KeyValues {
        Objects.requireNonNull(key, "key");
        values = List.copyOf(values);
    }
}
