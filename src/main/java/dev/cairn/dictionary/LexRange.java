package dev.cairn.dictionary;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An interval of sorted-set members in byte order (unsigned, as {@code memcmp} compares), as
 * ZRANGE BYLEX, ZLEXCOUNT and ZREMRANGEBYLEX take it. Each end is a member, included or
 * excluded, or one of the two infinities Redis writes {@code -} and {@code +}.
 *
 * <p>As in Redis, a lexicographic range is meant for a sorted set whose members all have the
 * same score; with mixed scores the answer follows the order of the set (score, then member)
 * and is not a meaningful interval.
 *
 * <p>An interval whose lower end is above its upper end, or whose ends are equal with either
 * excluded, is empty: it matches nothing, which is not an error. Immutable; the member arrays
 * are copied in and never handed out.
 */
public final class LexRange {
    private enum Kind { NEGATIVE_INFINITY, INCLUSIVE, EXCLUSIVE, POSITIVE_INFINITY }

    /** Every member: {@code [- +]}. */
    public static final LexRange ALL =
            new LexRange(Kind.NEGATIVE_INFINITY, null, Kind.POSITIVE_INFINITY, null);

    private final Kind minKind;
    private final byte[] min;
    private final Kind maxKind;
    private final byte[] max;

    private LexRange(Kind minKind, byte[] min, Kind maxKind, byte[] max) {
        this.minKind = minKind;
        this.min = min;
        this.maxKind = maxKind;
        this.max = max;
    }

    /** The closed interval [min, max]. */
    public static LexRange closed(byte[] min, byte[] max) {
        return new LexRange(Kind.INCLUSIVE, min.clone(), Kind.INCLUSIVE, max.clone());
    }

    /**
     * Parses Redis's syntax for one pair of ends: {@code [member} (included), {@code (member}
     * (excluded), {@code -} or {@code +}.
     *
     * @throws IllegalArgumentException if an end has another form
     *         ({@code ERR min or max not valid string range item})
     */
    public static LexRange parse(byte[] min, byte[] max) {
        Kind minKind = kindOf(min);
        Kind maxKind = kindOf(max);
        return new LexRange(minKind, valueOf(minKind, min), maxKind, valueOf(maxKind, max));
    }

    /** {@link #parse(byte[], byte[])} for members written as UTF-8 text. */
    public static LexRange parse(String min, String max) {
        return parse(min.getBytes(StandardCharsets.UTF_8), max.getBytes(StandardCharsets.UTF_8));
    }

    private static Kind kindOf(byte[] end) {
        if (end.length == 1 && end[0] == '-') {
            return Kind.NEGATIVE_INFINITY;
        }
        if (end.length == 1 && end[0] == '+') {
            return Kind.POSITIVE_INFINITY;
        }
        if (end.length >= 1 && end[0] == '[') {
            return Kind.INCLUSIVE;
        }
        if (end.length >= 1 && end[0] == '(') {
            return Kind.EXCLUSIVE;
        }
        throw new IllegalArgumentException("min or max not valid string range item: '"
                + new String(end, StandardCharsets.UTF_8) + "'");
    }

    private static byte[] valueOf(Kind kind, byte[] end) {
        return kind == Kind.INCLUSIVE || kind == Kind.EXCLUSIVE ? Arrays.copyOfRange(end, 1, end.length) : null;
    }

    /** Compares a member with an end: negative when the member sorts before it. */
    private static int compare(byte[] member, Kind kind, byte[] end) {
        switch (kind) {
            case NEGATIVE_INFINITY:
                return 1;
            case POSITIVE_INFINITY:
                return -1;
            default:
                return Arrays.compareUnsigned(member, end);
        }
    }

    /** Whether {@code member} is at or above the lower end (above it when excluded). */
    public boolean aboveMin(byte[] member) {
        int c = compare(member, minKind, min);
        return minKind == Kind.EXCLUSIVE ? c > 0 : c >= 0;
    }

    /** Whether {@code member} is at or below the upper end (below it when excluded). */
    public boolean belowMax(byte[] member) {
        int c = compare(member, maxKind, max);
        return maxKind == Kind.EXCLUSIVE ? c < 0 : c <= 0;
    }

    /** Whether {@code member} is in this interval. */
    public boolean contains(byte[] member) {
        return aboveMin(member) && belowMax(member);
    }

    /** Whether no member is in this interval. */
    public boolean isEmpty() {
        int c;
        if (minKind == Kind.INCLUSIVE || minKind == Kind.EXCLUSIVE) {
            c = compare(min, maxKind, max);
        } else if (maxKind == Kind.INCLUSIVE || maxKind == Kind.EXCLUSIVE) {
            c = -compare(max, minKind, min);
        } else {
            c = Integer.compare(minKind.ordinal(), maxKind.ordinal());
        }
        // Redis counts the infinities as excluded ends, so "- -" and "+ +" are empty too.
        boolean anyExcluded = minKind != Kind.INCLUSIVE || maxKind != Kind.INCLUSIVE;
        return c > 0 || (c == 0 && anyExcluded);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LexRange that && minKind == that.minKind && maxKind == that.maxKind
                && Arrays.equals(min, that.min) && Arrays.equals(max, that.max);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * minKind.hashCode() + Arrays.hashCode(min)) + maxKind.hashCode()) + Arrays.hashCode(max);
    }

    @Override
    public String toString() {
        return endText(minKind, min) + " " + endText(maxKind, max);
    }

    private static String endText(Kind kind, byte[] value) {
        switch (kind) {
            case NEGATIVE_INFINITY:
                return "-";
            case POSITIVE_INFINITY:
                return "+";
            case INCLUSIVE:
                return "[" + new String(value, StandardCharsets.UTF_8);
            default:
                return "(" + new String(value, StandardCharsets.UTF_8);
        }
    }
}
