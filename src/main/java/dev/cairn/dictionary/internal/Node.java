package dev.cairn.dictionary.internal;

/**
 * One entry of a {@link StringTable}: a key, its spread hash, its value and the next entry of
 * the same bucket (32 bytes with compressed references). The hash is kept so a lookup skips the
 * other entries of its bucket without touching their keys (each a cache miss at scale), and a
 * resize never touches a key. The table sets the hash when the entry goes in (it depends on
 * which hash function the table uses, see {@link StringTable}, "Hash flooding"), and rewrites it
 * if the table switches.
 *
 * <p>Not thread-safe; guarded by the dictionary's command lock.
 *
 * @param <V> the value type
 */
class Node<V> {
    final String key;
    /** Set by the owning {@link StringTable}: the key's hash under the table's hash function. */
    int hash;
    V value;
    Node<V> next;

    Node(String key, V value) {
        this.key = key;
        this.value = value;
    }
}
