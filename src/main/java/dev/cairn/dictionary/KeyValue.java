package dev.cairn.dictionary;

/**
 * A value together with the key it came from: the answer of BLPOP and BRPOP.
 *
 * @param key   the key popped from
 * @param value the element
 */
public record KeyValue(String key, byte[] value) {
}
