package dev.cairn.dictionary.internal;

import dev.cairn.dictionary.KeyType;

/**
 * A hash value: a {@link StringTable} from field to value bytes, which gives HSCAN Redis's
 * cursor guarantee and HRANDFIELD a random field. Field values are never mutated in place.
 *
 * <p>Not thread-safe; guarded by the dictionary's command lock.
 */
final class HashValue extends CollectionValue {
    final StringTable<byte[]> fields;
    /** Latched once a write took the hash past Redis's listpack limits (see {@link ObjectEncodings}). */
    private boolean converted;

    HashValue() {
        this(false);
    }

    private HashValue(boolean seeded) {
        fields = new StringTable<>(seeded);
    }

    @Override
    public KeyType type() {
        return KeyType.HASH;
    }

    @Override
    public boolean isEmpty() {
        return fields.size() == 0;
    }

    @Override
    public HashValue copy() {
        // A copy of a flooded table starts on the seeded hash, rather than rediscover the flood.
        HashValue copy = new HashValue(fields.seeded());
        copy.converted = converted;
        fields.forEach(node -> copy.fields.insert(new Node<>(node.key, node.value)));
        return copy;
    }

    /** Records that {@code field} now holds {@code value}, latching the large encoding if a limit is passed. */
    void noteWrite(String field, byte[] value) {
        if (!converted && (fields.size() > ObjectEncodings.HASH_MAX_LISTPACK_ENTRIES
                || value.length > ObjectEncodings.HASH_MAX_LISTPACK_VALUE || ObjectEncodings.hashFieldTooLong(field))) {
            converted = true;
        }
    }

    /** Whether Redis would hold this hash as a hash table rather than a listpack. */
    boolean hashtable() {
        if (converted || fields.size() > ObjectEncodings.HASH_MAX_LISTPACK_ENTRIES) {
            return true;
        }
        boolean[] tooLong = {false};
        fields.forEach(node -> tooLong[0] |= node.value.length > ObjectEncodings.HASH_MAX_LISTPACK_VALUE
                || ObjectEncodings.hashFieldTooLong(node.key));
        return tooLong[0];
    }
}
