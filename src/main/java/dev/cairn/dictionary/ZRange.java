package dev.cairn.dictionary;

import java.util.Objects;

/**
 * What a ZRANGE (Redis 6.2's unified form) or ZRANGESTORE selects: entries by rank, by score
 * or by member (lexicographic), in ascending order or reversed ({@code REV}), optionally one
 * page of them ({@code LIMIT offset count}, by score or by member only).
 *
 * <p>Unlike Redis's argument order, the score or member interval is always written low end
 * first; {@link #rev()} only reverses the order of the answer. Build with {@link #byRank},
 * {@link #byScore} or {@link #byLex}, then {@link #rev()} and {@link #limit}.
 *
 * @param by        what the range is over
 * @param start     the first rank (by rank; negative counts from the end)
 * @param stop      the last rank, inclusive (by rank; negative counts from the end)
 * @param scores    the score interval (by score), else null
 * @param members   the member interval (by lex), else null
 * @param reverse   whether the answer runs from the top down
 * @param offset    how many matching entries to skip; a negative offset selects nothing
 * @param count     how many entries at most; negative for all
 */
public record ZRange(By by, long start, long stop, ScoreRange scores, LexRange members, boolean reverse,
        long offset, long count) {

    /** What a range is over. */
    public enum By {
        /** Ranks (0 is the lowest score, or the highest when reversed). */
        RANK,
        /** Scores. */
        SCORE,
        /** Members in byte order (for members of equal score). */
        LEX
    }

    /**
     * @throws IllegalArgumentException when the interval does not match {@code by}, or a LIMIT
     *         is given by rank ({@code ERR syntax error, LIMIT is only supported in combination
     *         with either BYSCORE or BYLEX})
     */
    public ZRange {
        Objects.requireNonNull(by, "by");
        if ((by == By.SCORE) != (scores != null) || (by == By.LEX) != (members != null)) {
            throw new IllegalArgumentException("a range by " + by + " needs exactly its own interval");
        }
        if (by == By.RANK && (offset != 0 || count >= 0)) {
            throw new IllegalArgumentException("LIMIT is only supported in combination with either BYSCORE or BYLEX");
        }
    }

    /** Ranks {@code start} to {@code stop}, inclusive; negative ranks count from the end (-1 is the last). */
    public static ZRange byRank(long start, long stop) {
        return new ZRange(By.RANK, start, stop, null, null, false, 0, -1);
    }

    /** Entries whose score is in {@code scores}. */
    public static ZRange byScore(ScoreRange scores) {
        return new ZRange(By.SCORE, 0, 0, Objects.requireNonNull(scores, "scores"), null, false, 0, -1);
    }

    /** Entries whose member is in {@code members}. */
    public static ZRange byLex(LexRange members) {
        return new ZRange(By.LEX, 0, 0, null, Objects.requireNonNull(members, "members"), false, 0, -1);
    }

    /** This, answered from the top down ({@code REV}). */
    public ZRange rev() {
        return new ZRange(by, start, stop, scores, members, true, offset, count);
    }

    /** This, skipping {@code newOffset} matches and answering at most {@code newCount} (negative: all). */
    public ZRange limit(long newOffset, long newCount) {
        return new ZRange(by, start, stop, scores, members, reverse, newOffset, newCount);
    }
}
