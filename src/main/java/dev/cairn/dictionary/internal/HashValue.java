package dev.cairn.dictionary.internal;

import dev.cairn.dictionary.KeyType;

/**
 * A hash value: a {@link StringTable} from field to value bytes, which gives HSCAN Redis's
 * cursor guarantee and HRANDFIELD a random field. Field values are never mutated in place.
 *
 * <p>Not thread-safe; guarded by the dictionary's command lock.
 */
final class HashValue extends CollectionValue {
    final StringTable<byte[]> fields = new StringTable<>();

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
        HashValue copy = new HashValue();
        fields.forEach(node -> copy.fields.insert(new Node<>(node.key, node.value)));
        return copy;
    }
}
