package dev.cairn.dictionary;

/**
 * One run of consecutive bytes common to both strings of an LCS: bytes {@code start1} to
 * {@code end1} of the first string equal bytes {@code start2} to {@code end2} of the second
 * (inclusive, 0-based).
 *
 * @param start1 first byte in the first string
 * @param end1   last byte in the first string
 * @param start2 first byte in the second string
 * @param end2   last byte in the second string
 */
public record LcsMatch(long start1, long end1, long start2, long end2) {
    public LcsMatch {
        if (start1 < 0 || start2 < 0 || end1 < start1 || end2 - start2 != end1 - start1) {
            throw new IllegalArgumentException("not a match of equal non-empty ranges: " + start1 + "-" + end1
                    + " and " + start2 + "-" + end2);
        }
    }

    /** The number of bytes in the run (Redis's WITHMATCHLEN). */
    public long length() {
        return end1 - start1 + 1;
    }
}
