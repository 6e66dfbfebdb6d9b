package dev.cairn.server.redis;

import dev.cairn.dictionary.KeyEventClass;

/**
 * Redis's {@code notify-keyspace-events} setting as a bit set: which event classes are published,
 * and on which channels ({@code K}: {@code __keyspace@<db>__:<key>}, {@code E}:
 * {@code __keyevent@<db>__:<event>}). {@link #parse} reads the letters as Redis 7.0 does (any order,
 * repeats allowed, {@code A} for {@code g$lshzxetd}); {@link #format} writes them back in Redis's
 * canonical order, as CONFIG GET answers.
 *
 * <p>Not instantiable; the bit set is a plain {@code int}, immutable by nature.
 */
final class KeyspaceEventFlags {
    static final int GENERIC = 1 << 2;
    static final int STRING = 1 << 3;
    static final int LIST = 1 << 4;
    static final int SET = 1 << 5;
    static final int HASH = 1 << 6;
    static final int ZSET = 1 << 7;
    static final int EXPIRED = 1 << 8;
    static final int EVICTED = 1 << 9;
    static final int STREAM = 1 << 10;
    static final int KEY_MISS = 1 << 11;
    static final int MODULE = 1 << 12;
    static final int NEW = 1 << 14;
    static final int KEYSPACE = 1;
    static final int KEYEVENT = 1 << 1;
    /** {@code A}: every class but key misses and new keys, as in Redis. */
    static final int ALL = GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

    /** Redis's error text for a letter it does not know (after "- " in CONFIG SET's error). */
    static final String INVALID = "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";

    private KeyspaceEventFlags() {
    }

    /**
     * The flags {@code letters} name.
     *
     * @throws IllegalArgumentException naming the first letter that is not a class, with {@link #INVALID}
     */
    static int parse(String letters) {
        int flags = 0;
        for (int i = 0; i < letters.length(); i++) {
            char c = letters.charAt(i);
            flags |= switch (c) {
                case 'A' -> ALL;
                case 'g' -> GENERIC;
                case '$' -> STRING;
                case 'l' -> LIST;
                case 's' -> SET;
                case 'h' -> HASH;
                case 'z' -> ZSET;
                case 'x' -> EXPIRED;
                case 'e' -> EVICTED;
                case 'K' -> KEYSPACE;
                case 'E' -> KEYEVENT;
                case 't' -> STREAM;
                case 'm' -> KEY_MISS;
                case 'd' -> MODULE;
                case 'n' -> NEW;
                default -> throw new IllegalArgumentException(INVALID + " Got '" + c + "' at index " + i
                        + " of '" + letters + "'");
            };
        }
        return flags;
    }

    /**
     * Redis's canonical text of {@code flags}: {@code A} when every class of {@code A} is on (and
     * then nothing of the classes else, not even {@code n}, as Redis 7.0 writes it), else the class
     * letters in the order {@code g$lshzxetdn}; then {@code K}, {@code E}, {@code m}.
     */
    static String format(int flags) {
        StringBuilder text = new StringBuilder();
        if ((flags & ALL) == ALL) {
            text.append('A');
        } else {
            append(text, flags, GENERIC, 'g');
            append(text, flags, STRING, '$');
            append(text, flags, LIST, 'l');
            append(text, flags, SET, 's');
            append(text, flags, HASH, 'h');
            append(text, flags, ZSET, 'z');
            append(text, flags, EXPIRED, 'x');
            append(text, flags, EVICTED, 'e');
            append(text, flags, STREAM, 't');
            append(text, flags, MODULE, 'd');
            append(text, flags, NEW, 'n');
        }
        append(text, flags, KEYSPACE, 'K');
        append(text, flags, KEYEVENT, 'E');
        append(text, flags, KEY_MISS, 'm');
        return text.toString();
    }

    private static void append(StringBuilder text, int flags, int flag, char letter) {
        if ((flags & flag) != 0) {
            text.append(letter);
        }
    }

    /** The flag of a dictionary event class. */
    static int of(KeyEventClass eventClass) {
        return switch (eventClass) {
            case GENERIC -> GENERIC;
            case STRING -> STRING;
            case LIST -> LIST;
            case SET -> SET;
            case HASH -> HASH;
            case SORTED_SET -> ZSET;
            case EXPIRED -> EXPIRED;
            case NEW -> NEW;
        };
    }

    /** Whether {@code flags} would publish anything: some class and some channel. */
    static boolean publishes(int flags) {
        return (flags & (KEYSPACE | KEYEVENT)) != 0 && (flags & ~(KEYSPACE | KEYEVENT)) != 0;
    }
}
