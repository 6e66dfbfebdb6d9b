package dev.cairn.dictionary.internal;

/**
 * Redis's glob patterns, matching as Redis's {@code stringmatchlen} does: {@code *} any run,
 * {@code ?} one character, {@code [abc]} a set, {@code [^a]} its complement, {@code [a-z]} a range
 * (ends in either order), {@code \x} the character x itself. An unterminated {@code [} takes
 * the rest of the pattern as its set, as Redis does. The pattern {@code *} alone matches
 * everything, the empty string included (Redis's KEYS and SCAN take that shortcut; its matcher
 * alone would refuse the empty string, and so does this one for, say, {@code **}).
 *
 * <p>Stateless; thread-safe.
 */
public final class Glob {
    private Glob() {
    }

    /** Whether {@code text} matches {@code pattern}; a null pattern matches everything. */
    public static boolean matches(String pattern, String text) {
        if (pattern == null || pattern.equals("*")) {
            return true;
        }
        return match(pattern, 0, text, 0, new boolean[1]);
    }

    private static char at(String s, int index) {
        return index < s.length() ? s.charAt(index) : 0;
    }

    // A port of the loop of Redis's stringmatchlen_impl (util.c), with indexes for pointers;
    // skipLonger[0] is its early exit once a '*' suffix cannot match anywhere.
    private static boolean match(String p, int pi, String s, int si, boolean[] skipLonger) {
        int plen = p.length();
        int slen = s.length();
        while (pi < plen && si < slen) {
            char c = p.charAt(pi);
            switch (c) {
                case '*' -> {
                    while (pi + 1 < plen && p.charAt(pi + 1) == '*') {
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
                    char sc = s.charAt(si);
                    while (true) {
                        if (at(p, pi) == '\\' && plen - pi >= 2) {
                            pi++;
                            if (p.charAt(pi) == sc) {
                                matched = true;
                            }
                        } else if (at(p, pi) == ']') {
                            break;
                        } else if (pi >= plen) {
                            pi--;
                            break;
                        } else if (plen - pi >= 3 && p.charAt(pi + 1) == '-') {
                            char start = p.charAt(pi);
                            char end = p.charAt(pi + 2);
                            if (start > end) {
                                char t = start;
                                start = end;
                                end = t;
                            }
                            pi += 2;
                            if (sc >= start && sc <= end) {
                                matched = true;
                            }
                        } else if (p.charAt(pi) == sc) {
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
                    if (p.charAt(pi) != s.charAt(si)) {
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
