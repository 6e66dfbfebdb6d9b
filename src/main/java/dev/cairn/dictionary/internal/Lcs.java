package dev.cairn.dictionary.internal;

import dev.cairn.dictionary.LcsMatch;
import dev.cairn.dictionary.LcsResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The longest common subsequence of two byte strings, by the textbook dynamic programme over a
 * table of prefix lengths, walked back from the end as Redis 7.0's lcsCommand (t_string.c) walks
 * it, so that where several subsequences are longest the same one is chosen, and the runs come out
 * in the same order (from the end of the strings).
 *
 * <p>Stateless and thread-safe.
 */
final class Lcs {
    /** Redis refuses a table larger than proto-max-bulk-len, 512 MiB by default. */
    static final long MAX_TABLE_BYTES = 512L * 1024 * 1024;

    private final byte[] a;
    private final byte[] b;
    /** table[i * (b.length + 1) + j] = the LCS length of a[0, i) and b[0, j). */
    private final int[] table;

    private Lcs(byte[] a, byte[] b) {
        this.a = a;
        this.b = b;
        int width = b.length + 1;
        table = new int[(a.length + 1) * width];
        for (int i = 1; i <= a.length; i++) {
            for (int j = 1; j <= b.length; j++) {
                table[i * width + j] = a[i - 1] == b[j - 1] ? table[(i - 1) * width + j - 1] + 1
                        : Math.max(table[(i - 1) * width + j], table[i * width + j - 1]);
            }
        }
    }

    /**
     * The table for two strings.
     *
     * @throws IllegalArgumentException if the table would pass {@link #MAX_TABLE_BYTES}
     */
    static Lcs of(byte[] a, byte[] b) {
        long tableBytes = (a.length + 1L) * (b.length + 1L) * Integer.BYTES;
        if (tableBytes > MAX_TABLE_BYTES) {
            throw new IllegalArgumentException("Insufficient memory, transient memory for LCS exceeds "
                    + "proto-max-bulk-len: strings of " + a.length + " and " + b.length + " bytes need a table of "
                    + tableBytes + " bytes, more than " + MAX_TABLE_BYTES);
        }
        return new Lcs(a, b);
    }

    private int at(int i, int j) {
        return table[i * (b.length + 1) + j];
    }

    int length() {
        return at(a.length, b.length);
    }

    /** The subsequence itself. */
    byte[] sequence() {
        byte[] result = new byte[length()];
        walk(result, null, 0);
        return result;
    }

    /** The runs of the subsequence at least {@code minMatchLen} long, last first. */
    LcsResult matches(long minMatchLen) {
        List<LcsMatch> matches = new ArrayList<>();
        walk(null, matches, Math.max(0, minMatchLen));
        return new LcsResult(matches, length());
    }

    /** Walks back from the end, filling {@code result} and/or collecting runs, as Redis does. */
    private void walk(byte[] result, List<LcsMatch> matches, long minMatchLen) {
        int index = length();
        int i = a.length;
        int j = b.length;
        // The run being tracked: none while aStart == -1.
        int aStart = -1;
        int aEnd = 0;
        int bStart = 0;
        int bEnd = 0;
        while (i > 0 && j > 0) {
            boolean emit = false;
            if (a[i - 1] == b[j - 1]) {
                if (result != null) {
                    result[index - 1] = a[i - 1];
                }
                if (aStart == -1) {
                    aStart = i - 1;
                    aEnd = i - 1;
                    bStart = j - 1;
                    bEnd = j - 1;
                } else if (aStart == i && bStart == j) {
                    aStart--;
                    bStart--;
                } else {
                    emit = true;
                }
                // A run that reached the start of either string ends here.
                if (aStart == 0 || bStart == 0) {
                    emit = true;
                }
                index--;
                i--;
                j--;
            } else {
                if (at(i - 1, j) > at(i, j - 1)) {
                    i--;
                } else {
                    j--;
                }
                emit = aStart != -1;
            }
            if (emit) {
                if (matches != null && aEnd - aStart + 1 >= minMatchLen) {
                    matches.add(new LcsMatch(aStart, aEnd, bStart, bEnd));
                }
                aStart = -1;
            }
        }
    }
}
