package dev.cairn.dictionary;

/**
 * Redis's glob patterns, matching as Redis's {@code stringmatchlen} does, byte by byte (a key or
 * field given as a Java string is matched as its UTF-8 bytes, so {@code ?} matches one byte, not
 * one character, as in Redis): {@code *} any run, {@code ?} one byte, {@code [abc]} a set,
 * {@code [^a]} its complement, {@code [a-z]} a range (ends in either order; bytes compare as
 * signed, as C's {@code char} on x86-64, where Redis is the reference), {@code \x} the byte x
 * itself. An unterminated {@code [} takes the rest of the pattern as its set, as Redis does. The
 * pattern {@code *} alone matches everything, the empty string included (Redis's KEYS and SCAN
 * take that shortcut; its matcher alone would refuse the empty string, and so does this one for,
 * say, {@code **}).
 *
 * <p>Stateless; thread-safe.
 */
public final class Glob {
    private Glob() {
    }

    /** Whether {@code text} matches {@code pattern}, both as UTF-8 bytes; a null pattern matches everything. */
    public static boolean matches(String pattern, String text) {
        if (pattern == null || pattern.equals("*")) {
            return true;
        }
        return matches(utf8(pattern), utf8(text));
    }

    /** Whether {@code text} matches {@code pattern}; a null pattern matches everything. */
    public static boolean matches(byte[] pattern, byte[] text) {
        if (pattern == null || pattern.length == 1 && pattern[0] == '*') {
            return true;
        }
        return match(pattern, 0, text, 0, new boolean[1]);
    }

    /** A pattern's bytes for {@link #matches(byte[], byte[])}; null (match everything) for null. */
    public static byte[] utf8(String pattern) {
        return pattern == null ? null : BinaryKeys.toBytes(pattern);
    }

    private static byte at(byte[] s, int index) {
        return index < s.length ? s[index] : 0;
    }

    // A port of the loop of Redis's stringmatchlen_impl (util.c), with indexes for pointers;
    // skipLonger[0] is its early exit once a '*' suffix cannot match anywhere.
    private static boolean match(byte[] p, int pi, byte[] s, int si, boolean[] skipLonger) {
        int plen = p.length;
        int slen = s.length;
        while (pi < plen && si < slen) {
            byte c = p[pi];
            switch (c) {
                case '*' -> {
                    while (pi + 1 < plen && p[pi + 1] == '*') {
                        pi++;
                    }
                    if (pi == plen - 1) {
                        return true;
                    }
                    while (si < slen) {
                        if (match(p, pi + 1, s, si, skipLonger)) {
                            return true;
                        }
                        if (skipLonger[0]) {
                            return false;
                        }
                        si++;
                    }
                    skipLonger[0] = true;
                    return false;
                }
                case '?' -> si++;
                case '[' -> {
                    pi++;
                    boolean not = at(p, pi) == '^';
                    if (not) {
                        pi++;
                    }
                    boolean matched = false;
                    byte sc = s[si];
                    while (true) {
                        if (at(p, pi) == '\\' && plen - pi >= 2) {
                            pi++;
                            if (p[pi] == sc) {
                                matched = true;
                            }
                        } else if (at(p, pi) == ']') {
                            break;
                        } else if (pi >= plen) {
                            pi--;
                            break;
                        } else if (plen - pi >= 3 && p[pi + 1] == '-') {
                            byte start = p[pi];
                            byte end = p[pi + 2];
                            if (start > end) {
                                byte t = start;
                                start = end;
                                end = t;
                            }
                            pi += 2;
                            if (sc >= start && sc <= end) {
                                matched = true;
                            }
                        } else if (p[pi] == sc) {
                            matched = true;
                        }
                        pi++;
                    }
                    if (not) {
                        matched = !matched;
                    }
                    if (!matched) {
                        return false;
                    }
                    si++;
                }
                default -> {
                    if (c == '\\' && plen - pi >= 2) {
                        pi++;
                    }
                    if (p[pi] != s[si]) {
                        return false;
                    }
                    si++;
                }
            }
            pi++;
            if (si == slen) {
                while (at(p, pi) == '*') {
                    pi++;
                }
                break;
            }
        }
        return pi >= plen && si == slen;
    }
}
