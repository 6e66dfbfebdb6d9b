package dev.cairn.dictionary;

import java.util.Objects;

/**
 * A sorted-set member popped by BZPOPMIN or BZPOPMAX, with the key it came from.
 *
 * @param key    the key popped from
 * @param member the member and its score
 */
public record KeyScoredMember(String key, ScoredMember member) {
    public KeyScoredMember {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(member, "member");
    }
}
