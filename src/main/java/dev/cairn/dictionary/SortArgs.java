package dev.cairn.dictionary;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The options of SORT and SORT_RO: {@code BY pattern}, {@code LIMIT offset count},
 * {@code GET pattern ...}, {@code ASC|DESC} and {@code ALPHA}. Patterns follow Redis: the first
 * {@code *} is replaced by the element; {@code key->field} reads a hash field instead of a string;
 * {@code GET #} is the element itself; a BY pattern without {@code *} (such as {@code nosort})
 * skips sorting.
 *
 * @param by         the BY pattern, or null to sort by the elements themselves
 * @param offset     LIMIT's offset (negative counts as 0)
 * @param count      LIMIT's count, negative for no limit
 * @param get        the GET patterns in order, empty for the elements themselves
 * @param descending DESC
 * @param alpha      ALPHA: compare as byte strings instead of as numbers
 */
public record SortArgs(String by, long offset, long count, List<String> get, boolean descending, boolean alpha) {

    /** Ascending, numeric, by the elements, no LIMIT, no GET. */
    public static final SortArgs DEFAULT = new SortArgs(null, 0, -1, List.of(), false, false);

    public SortArgs {
        get = List.copyOf(Objects.requireNonNull(get, "get"));
    }

    /** This with {@code BY pattern}. */
    public SortArgs withBy(String pattern) {
        return new SortArgs(Objects.requireNonNull(pattern, "pattern"), offset, count, get, descending, alpha);
    }

    /** This with {@code LIMIT offset count}. */
    public SortArgs withLimit(long newOffset, long newCount) {
        return new SortArgs(by, newOffset, newCount, get, descending, alpha);
    }

    /** This with one more {@code GET pattern}. */
    public SortArgs withGet(String pattern) {
        List<String> patterns = new ArrayList<>(get);
        patterns.add(Objects.requireNonNull(pattern, "pattern"));
        return new SortArgs(by, offset, count, patterns, descending, alpha);
    }

    /** This with {@code DESC}. */
    public SortArgs withDesc() {
        return new SortArgs(by, offset, count, get, true, alpha);
    }

    /** This with {@code ALPHA}. */
    public SortArgs withAlpha() {
        return new SortArgs(by, offset, count, get, descending, true);
    }
}
