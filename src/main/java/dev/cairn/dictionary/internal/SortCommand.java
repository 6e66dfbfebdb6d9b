package dev.cairn.dictionary.internal;

import dev.cairn.dictionary.KeyType;
import dev.cairn.dictionary.NotAFloatException;
import dev.cairn.dictionary.SortArgs;
import dev.cairn.dictionary.WrongTypeException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * SORT, following Redis 7.0's {@code sortCommandGeneric} step by step: load the elements (in the
 * list's order, the set's, or the sorted set's member table order), work out the LIMIT window as
 * Redis does, compute each element's sort key (the element, or what the BY pattern names: a
 * missing one counts as 0, or as smallest with ALPHA), sort, then produce each element or its GET
 * values.
 *
 * <p>Redis's rules kept here: a BY pattern without {@code *} skips sorting, and the list or
 * sorted set then keeps its own order (reversed by DESC) with LIMIT applied to it; a set has no
 * order of its own, so with STORE it is sorted as ALPHA anyway (to store the same list on
 * replicas). Numbers are read as C's {@code strtod} reads them (leading blanks, decimal or
 * hexadecimal, {@code inf}); text that is not entirely a number, NaN, or a value out of the
 * double range makes the whole command fail. Numeric ties are broken by comparing the elements
 * as bytes, so the order is total; ALPHA compares bytes unsigned (Redis uses {@code strcoll},
 * which in the C locale Redis runs under is the same), and ALPHA with BY leaves ties in input
 * order (Redis's sort may order them either way).
 *
 * <p>Not thread-safe; runs under the command lock.
 */
final class SortCommand {
    private final Engine engine;

    SortCommand(Engine engine) {
        this.engine = engine;
    }

    /** One element with its sort key. */
    private static final class Entry {
        final byte[] element;
        double score;
        byte[] compareBy;

        Entry(byte[] element) {
            this.element = element;
        }
    }

    /**
     * Runs SORT on {@code key}; with {@code store}, GET values that are missing become empty
     * strings (what STORE puts in the list), else null.
     */
    List<byte[]> run(String key, SortArgs args, boolean store) {
        Node<Object> node = engine.lookupRead(key);
        Object value = node == null ? null : node.value;
        if (value != null && !(value instanceof ListValue || value instanceof SetValue
                || value instanceof SortedSetValue)) {
            throw new WrongTypeException(key, KeyType.LIST, Engine.typeOf(value));
        }
        String sortBy = args.by();
        boolean dontSort = sortBy != null && sortBy.indexOf('*') < 0;
        boolean alpha = args.alpha();
        if (dontSort && value instanceof SetValue && store) {
            dontSort = false;
            alpha = true;
            sortBy = null;
        }
        boolean desc = args.descending();
        long length = value == null ? 0 : value instanceof ListValue list ? list.size()
                : value instanceof SetValue set ? set.size() : ((SortedSetValue) value).size();
        long start = Math.max(0, args.offset());
        long end = args.count() < 0 ? length - 1 : saturatedAdd(start, args.count() - 1);
        if (start >= length) {
            start = length - 1;
            end = length - 2;
        }
        if (end >= length) {
            end = length - 1;
        }

        List<Entry> vector = new ArrayList<>();
        if (dontSort && (value instanceof ListValue || value instanceof SortedSetValue)) {
            // Only the window, in the value's own order (from the other end with DESC).
            if (end >= start) {
                List<byte[]> ordered = ordered(value);
                for (long i = start; i <= end; i++) {
                    int index = (int) (desc ? length - 1 - i : i);
                    vector.add(new Entry(ordered.get(index)));
                }
            }
            end -= start;
            start = 0;
        } else if (value instanceof SortedSetValue sortedSet) {
            sortedSet.forEach((member, score) -> vector.add(new Entry(member)));
        } else if (value instanceof SetValue set) {
            set.forEach(member -> vector.add(new Entry(member)));
        } else if (value instanceof ListValue) {
            ordered(value).forEach(element -> vector.add(new Entry(element)));
        }

        if (!dontSort) {
            boolean conversionError = false;
            for (Entry entry : vector) {
                byte[] by = sortBy == null ? entry.element : lookup(sortBy, entry.element);
                if (by == null) {
                    continue;
                }
                if (alpha) {
                    if (sortBy != null) {
                        entry.compareBy = by;
                    }
                } else {
                    entry.score = strtod(by);
                    if (Double.isNaN(entry.score)) {
                        conversionError = true;
                    }
                }
            }
            if (conversionError) {
                throw new NotAFloatException("One or more scores can't be converted into double");
            }
            Comparator<Entry> order = comparator(alpha, sortBy != null);
            vector.sort(desc ? order.reversed() : order);
        }

        List<byte[]> out = new ArrayList<>();
        for (long j = start; j <= end; j++) {
            byte[] element = vector.get((int) j).element;
            if (args.get().isEmpty()) {
                out.add(element);
                continue;
            }
            for (String pattern : args.get()) {
                byte[] got = lookup(pattern, element);
                out.add(got == null && store ? new byte[0] : got);
            }
        }
        return out;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    private static List<byte[]> ordered(Object value) {
        List<byte[]> elements = new ArrayList<>();
        if (value instanceof ListValue list) {
            for (int i = 0; i < list.size(); i++) {
                elements.add(list.get(i));
            }
        } else {
            ((SortedSetValue) value).rangeByRank(0, -1, false, (member, score) -> elements.add(member));
        }
        return elements;
    }

    private static Comparator<Entry> comparator(boolean alpha, boolean byPattern) {
        if (!alpha) {
            return (a, b) -> a.score != b.score ? Double.compare(a.score, b.score)
                    : Arrays.compareUnsigned(a.element, b.element);
        }
        if (byPattern) {
            // A missing BY value sorts first; ties stay in input order.
            return (a, b) -> a.compareBy == null || b.compareBy == null
                    ? Boolean.compare(a.compareBy != null, b.compareBy != null)
                    : Arrays.compareUnsigned(a.compareBy, b.compareBy);
        }
        return (a, b) -> Arrays.compareUnsigned(a.element, b.element);
    }

    /**
     * Redis's {@code lookupKeyByPattern}: {@code #} is the element; else the first {@code *} is
     * replaced by the element, and a {@code ->field} after it (with a field) reads that field of
     * a hash instead of a string. Null when there is no {@code *}, no such key (no key can hold
     * bytes outside printable ASCII), or the key holds another type.
     */
    byte[] lookup(String pattern, byte[] element) {
        if (pattern.equals("#")) {
            return element;
        }
        int star = pattern.indexOf('*');
        if (star < 0) {
            return null;
        }
        int arrow = pattern.indexOf("->", star + 1);
        String field = null;
        String postfix = pattern.substring(star + 1);
        if (arrow >= 0 && arrow + 2 < pattern.length()) {
            field = pattern.substring(arrow + 2);
            postfix = pattern.substring(star + 1, arrow);
        }
        String key = printableKey(pattern.substring(0, star), element, postfix);
        if (key == null) {
            return null;
        }
        // Redis counts every key a pattern names as a keyspace hit or miss.
        Node<Object> node = engine.lookupRead(key);
        if (node == null) {
            return null;
        }
        if (field == null) {
            return node.value instanceof byte[] string ? string : null;
        }
        if (!(node.value instanceof HashValue hash)) {
            return null;
        }
        Node<byte[]> entry = hash.fields.find(field);
        return entry == null ? null : entry.value;
    }

    private static String printableKey(String prefix, byte[] element, String postfix) {
        StringBuilder key = new StringBuilder(prefix.length() + element.length + postfix.length());
        key.append(prefix);
        for (byte b : element) {
            if (b < 0x20 || b > 0x7E) {
                return null;
            }
            key.append((char) b);
        }
        key.append(postfix);
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return null;
            }
        }
        return key.length() > KeyRules.MAX_KEY_LENGTH ? null : key.toString();
    }

    /**
     * A value as SORT reads a number: C's {@code strtod} over the bytes up to the first NUL, which
     * must all be used; NaN when they are not (or the result is NaN, or out of range, which strtod
     * reports as ERANGE). Empty text is 0, as strtod converts nothing and stops at the end.
     */
    static double strtod(byte[] value) {
        int n = 0;
        while (n < value.length && value[n] != 0) {
            n++;
        }
        int i = 0;
        while (i < n && isSpace(value[i])) {
            i++;
        }
        if (n == 0) {
            return 0;
        }
        String text = new String(value, i, n - i, StandardCharsets.ISO_8859_1);
        String unsigned = text.startsWith("+") || text.startsWith("-") ? text.substring(1) : text;
        boolean negative = text.startsWith("-");
        String lower = unsigned.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("inf") || lower.equals("infinity")) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        double parsed;
        boolean nonZeroDigit;
        if (lower.matches("0x([0-9a-f]+\\.?[0-9a-f]*|\\.[0-9a-f]+)(p[+-]?[0-9]+)?")) {
            nonZeroDigit = lower.substring(2).replaceAll("p.*", "").matches(".*[1-9a-f].*");
            parsed = Double.parseDouble((negative ? "-" : "") + (lower.contains("p") ? lower : lower + "p0"));
        } else if (lower.matches("([0-9]+\\.?[0-9]*|\\.[0-9]+)(e[+-]?[0-9]+)?")) {
            nonZeroDigit = lower.replaceAll("e.*", "").matches(".*[1-9].*");
            parsed = Double.parseDouble((negative ? "-" : "") + lower);
        } else {
            return Double.NaN;
        }
        if (Double.isInfinite(parsed) || parsed == 0 && nonZeroDigit) {
            return Double.NaN;
        }
        return parsed;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == 0x0B || b == '\f' || b == '\r';
    }
}
