package dev.cairn.dictionary;

/**
 * The options of SCAN and its relatives: a glob pattern ({@code MATCH}), a hint of how much work
 * one call does ({@code COUNT}) and, for SCAN only, a type filter ({@code TYPE}).
 *
 * @param match glob pattern in Redis's syntax, or null for all
 * @param count how many entries to look at per call, at least 1 (Redis's default is 10)
 * @param type  only keys of this type (SCAN only), or null for all
 */
public record ScanArgs(String match, int count, KeyType type) {

    /** No pattern, count 10, no type filter. */
    public static final ScanArgs DEFAULT = new ScanArgs(null, 10, null);

    public ScanArgs {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, got " + count);
        }
    }

    /** This with a glob pattern. */
    public ScanArgs match(String pattern) {
        return new ScanArgs(pattern, count, type);
    }

    /** This with a count. */
    public ScanArgs count(int newCount) {
        return new ScanArgs(match, newCount, type);
    }

    /** This with a type filter. */
    public ScanArgs type(KeyType newType) {
        return new ScanArgs(match, count, newType);
    }
}
