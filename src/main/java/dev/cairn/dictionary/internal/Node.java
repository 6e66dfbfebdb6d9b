package dev.cairn.dictionary.internal;

/**
 * One entry of a {@link StringTable}: a key, its value and the next entry of the same bucket.
 * Kept to three fields so an entry costs 24 bytes with compressed references; a key's hash is
 * the one its {@code String} caches.
 *
 * <p>Not thread-safe; guarded by the dictionary's command lock.
 *
 * @param <V> the value type
 */
class Node<V> {
    final String key;
    V value;
    Node<V> next;

    Node(String key, V value) {
        this.key = key;
        this.value = value;
    }
}
