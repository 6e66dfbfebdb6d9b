package dev.cairn.dictionary.internal;

import java.nio.charset.StandardCharsets;

/**
 * What OBJECT ENCODING and OBJECT REFCOUNT answer for a value: the names Redis 7.0 gives its
 * internal encodings, with Redis 7.0's default thresholds, so a client that inspects them sees
 * what it would see against Redis after the same commands.
 *
 * <ul>
 *   <li>string: {@code int} if it is a canonical 64-bit integer of at most 20 characters,
 *       {@code embstr} up to {@value #EMBSTR_MAX_BYTES} bytes, else {@code raw} (Redis's
 *       {@code tryObjectEncoding}, which SET, MSET, INCR and RESTORE apply; judged from the
 *       content, so a string that APPEND, SETRANGE or INCRBYFLOAT wrote, which Redis leaves
 *       {@code raw} or {@code embstr}, is named as if SET had written it);</li>
 *   <li>list: always {@code quicklist} (Redis 7.0 has no other list encoding);</li>
 *   <li>hash: {@code listpack} while it has at most {@value #HASH_MAX_LISTPACK_ENTRIES} fields and
 *       no field or value longer than {@value #HASH_MAX_LISTPACK_VALUE} bytes, else
 *       {@code hashtable};</li>
 *   <li>set: {@code intset} while it has at most {@value #SET_MAX_INTSET_ENTRIES} members, all
 *       canonical integers, else {@code hashtable};</li>
 *   <li>sorted set: {@code listpack} while it has at most {@value #ZSET_MAX_LISTPACK_ENTRIES}
 *       members, none longer than {@value #ZSET_MAX_LISTPACK_VALUE} bytes, else
 *       {@code skiplist}.</li>
 * </ul>
 *
 * <p>As in Redis, a collection that once went past its limits keeps the large encoding when it
 * shrinks back under them: each collection latches a flag when a write takes it past a limit
 * ({@link HashValue#noteWrite}, {@link SetValue#add}, {@link SortedSetValue#put}), copies carry
 * it, and a value built from a snapshot, a RESTORE or a store command starts afresh, as Redis's
 * loading and store commands choose the encoding from the content.
 *
 * <p>Stateless; thread-safe.
 */
final class ObjectEncodings {
    static final int EMBSTR_MAX_BYTES = 44;
    static final int HASH_MAX_LISTPACK_ENTRIES = 512;
    static final int HASH_MAX_LISTPACK_VALUE = 64;
    static final int SET_MAX_INTSET_ENTRIES = 512;
    static final int ZSET_MAX_LISTPACK_ENTRIES = 128;
    static final int ZSET_MAX_LISTPACK_VALUE = 64;
    /** Redis shares the string objects of the integers 0 to 9999. */
    static final int SHARED_INTEGERS = 10_000;
    /** The reference count Redis reports for a shared object. */
    static final long SHARED_REFCOUNT = Integer.MAX_VALUE;

    private ObjectEncodings() {
    }

    /** The OBJECT ENCODING name of a stored value. */
    static String encoding(Object value) {
        if (value instanceof byte[] string) {
            if (Numbers.parseLong(string) != null) {
                return "int";
            }
            return string.length <= EMBSTR_MAX_BYTES ? "embstr" : "raw";
        } else if (value instanceof ListValue) {
            return "quicklist";
        } else if (value instanceof HashValue hash) {
            return hash.hashtable() ? "hashtable" : "listpack";
        } else if (value instanceof SetValue set) {
            return set.hashtable() ? "hashtable" : "intset";
        } else if (value instanceof SortedSetValue sortedSet) {
            return sortedSet.skiplist() ? "skiplist" : "listpack";
        }
        throw new IllegalStateException("no encoding for " + value.getClass().getName());
    }

    /** The OBJECT REFCOUNT of a stored value. */
    static long refCount(Object value) {
        if (value instanceof byte[] string) {
            Long number = Numbers.parseLong(string);
            if (number != null && number >= 0 && number < SHARED_INTEGERS) {
                return SHARED_REFCOUNT;
            }
        }
        return 1;
    }

    /** Whether a hash field, as its UTF-8 bytes, is longer than a listpack entry may be. */
    static boolean hashFieldTooLong(String field) {
        // A char is at most 3 UTF-8 bytes (a surrogate pair 4 for 2 chars): short fields skip the encoding.
        return field.length() * 3 > HASH_MAX_LISTPACK_VALUE
                && field.getBytes(StandardCharsets.UTF_8).length > HASH_MAX_LISTPACK_VALUE;
    }
}
