package dev.cairn.dictionary;

import java.util.Arrays;
import java.util.Objects;

/**
 * A sorted-set member with its score. Equality compares the member's bytes and the score's
 * value ({@link Double#compare}), so answers can be compared directly.
 *
 * @param member the member (the dictionary hands out its own copy)
 * @param score  the score, never NaN
 */
public record ScoredMember(byte[] member, double score) {

    public ScoredMember {
        Objects.requireNonNull(member, "member");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ScoredMember that && Arrays.equals(member, that.member)
                && Double.compare(score, that.score) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(member) + Double.hashCode(score);
    }

    @Override
    public String toString() {
        return "ScoredMember[" + Arrays.toString(member) + "=" + score + "]";
    }
}
