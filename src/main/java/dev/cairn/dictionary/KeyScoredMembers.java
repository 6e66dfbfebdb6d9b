package dev.cairn.dictionary;

import java.util.List;
import java.util.Objects;

/**
 * Sorted-set entries together with the key they came from: the answer of ZMPOP and BZMPOP.
 *
 * @param key     the key popped from
 * @param members the entries, in the order they were popped
 */
public record KeyScoredMembers(String key, List<ScoredMember> members) {
    public KeyScoredMembers {
        Objects.requireNonNull(key, "key");
        members = List.copyOf(members);
    }
}
