package dev.cairn.dictionary;

import java.util.List;

/**
 * The answer of LCS with IDX: the runs that make up the longest common subsequence, last run
 * first as Redis lists them, and its length.
 *
 * @param matches the runs, from the end of the strings to their start, at least
 *                MINMATCHLEN long
 * @param length  the length of the whole longest common subsequence (all runs, also those
 *                shorter than MINMATCHLEN)
 */
public record LcsResult(List<LcsMatch> matches, long length) {
    public LcsResult {
        matches = List.copyOf(matches);
    }
}
