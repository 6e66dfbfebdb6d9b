package dev.cairn.dictionary;

/**
 * The options of LPOS: which match to start from ({@code RANK}: 1 the first from the head, 2 the
 * second, -1 the first from the tail, ...; never 0) and how many elements to compare at most
 * ({@code MAXLEN}, 0 for all).
 *
 * @param rank   the match to start from, not 0
 * @param maxLen the most elements to compare, 0 for no limit, never negative
 */
public record LposArgs(long rank, long maxLen) {

    /** RANK 1, no MAXLEN. */
    public static final LposArgs DEFAULT = new LposArgs(1, 0);

    public LposArgs {
        if (rank == 0) {
            throw new IllegalArgumentException("RANK can't be zero: use 1 to start from the first match, "
                    + "2 from the second ... or use negative to start from the end of the list");
        }
        if (rank == Long.MIN_VALUE) {
            throw new IllegalArgumentException("RANK is out of range: " + rank);
        }
        if (maxLen < 0) {
            throw new IllegalArgumentException("MAXLEN can't be negative: " + maxLen);
        }
    }
}
