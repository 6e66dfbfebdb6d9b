package dev.cairn.dictionary;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Commands on string values: GET, SET and their variants, counters, APPEND and ranges. Values
 * are binary-safe; byte arrays passed in are copied and arrays returned belong to the caller.
 * The {@code String} overloads encode and decode UTF-8. Every method is one atomic command and
 * throws {@link WrongTypeException} (changing nothing) when a key holds another type.
 * A string is at most 512 MiB, as in Redis.
 */
public interface StringCommands {

    /** GET: the value, or null if the key does not exist. */
    byte[] get(String key);

    /** GET, decoded as UTF-8. */
    default String getString(String key) {
        byte[] value = get(key);
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    /** SET key value: stores the value and clears any deadline. */
    void set(String key, byte[] value);

    /** SET key value, the value encoded as UTF-8. */
    default void set(String key, String value) {
        set(key, value.getBytes(StandardCharsets.UTF_8));
    }

    /** SET key value [NX|XX] [GET] [EX|PX|EXAT|PXAT|KEEPTTL]. */
    SetResult set(String key, byte[] value, SetArgs args);

    /** SET with options, the value encoded as UTF-8. */
    default SetResult set(String key, String value, SetArgs args) {
        return set(key, value.getBytes(StandardCharsets.UTF_8), args);
    }

    /** SETNX: stores the value only if the key does not exist; returns whether it did. */
    boolean setNx(String key, byte[] value);

    /** GETSET: stores the value, clears any deadline, returns the old value or null. */
    byte[] getSet(String key, byte[] value);

    /** GETDEL: returns the value and deletes the key, or null if it did not exist. */
    byte[] getDel(String key);

    /**
     * GETEX key [EX|PX|EXAT|PXAT|PERSIST]: returns the value and changes the deadline.
     *
     * @param expiration the new deadline, {@link Expiration#persist()}, or null for none
     *                   (then GETEX is a plain GET)
     */
    byte[] getEx(String key, Expiration expiration);

    /** MGET: the values in order, null for a missing key or a key of another type. */
    List<byte[]> mget(String... keys);

    /** MSET: stores every pair, clearing deadlines, as one command. */
    void mset(Map<String, byte[]> pairs);

    /** MSETNX: stores every pair only if none of the keys exists; returns whether it did. */
    boolean msetNx(Map<String, byte[]> pairs);

    /** INCR: adds 1 to the integer value (a missing key counts as 0) and returns the result. */
    default long incr(String key) {
        return incrBy(key, 1);
    }

    /** DECR: subtracts 1. */
    default long decr(String key) {
        return incrBy(key, -1);
    }

    /** DECRBY: subtracts {@code decrement}. */
    long decrBy(String key, long decrement);

    /**
     * INCRBY: adds {@code increment} to the integer value, a missing key counting as 0.
     *
     * @throws NotAnIntegerException if the value is not a 64-bit integer in canonical form
     * @throws OverflowException     if the result leaves the 64-bit range
     */
    long incrBy(String key, long increment);

    /**
     * INCRBYFLOAT: adds {@code increment} exactly as Redis does, in x87 80-bit long double
     * arithmetic, and stores the result in Redis's format (no exponent, at most 17 decimals, no
     * trailing zeros): {@code 0.1} plus {@code 0.2} stores {@code 0.3}. The increment is taken in
     * its shortest decimal form ({@link Double#toString(double)}), as a client would send it; use
     * {@link #incrByFloat(String, String)} for an increment a double cannot hold exactly and for
     * the stored text itself.
     *
     * @return the stored result read as a double ({@link Double#parseDouble} of the stored text)
     * @throws NotAFloatException if the value is not a number, the increment is NaN, or the result
     *                            is not finite
     */
    double incrByFloat(String key, double increment);

    /**
     * INCRBYFLOAT with the increment as text, read as Redis reads it with {@code strtold}:
     * decimal with an optional exponent ({@code 1.5}, {@code -2e-3}, {@code 1e4000}: long
     * double's range reaches about 1.19e4932), hexadecimal ({@code 0x1.8p1}), or {@code inf} /
     * {@code infinity} (whose sum is refused); no spaces, nothing after the number, no NaN. The
     * stored value is read the same way. Checks in Redis's order: the key's type, the stored
     * value, the increment, the result.
     *
     * @return the stored text, the reply Redis sends
     * @throws NotAFloatException if the value or the increment is not a number, or the result is
     *                            not finite ({@code increment would produce NaN or Infinity})
     */
    String incrByFloat(String key, String increment);

    /** APPEND: appends bytes (creating the key if missing); returns the new length. */
    long append(String key, byte[] value);

    /** STRLEN: the length of the value in bytes, 0 if the key does not exist. */
    long strlen(String key);

    /**
     * GETRANGE: the bytes from {@code start} to {@code end} inclusive; negative indexes count
     * from the end; out-of-range parts are clipped.
     */
    byte[] getRange(String key, long start, long end);

    /**
     * SETRANGE: overwrites bytes from {@code offset}, padding with zero bytes as needed; returns
     * the new length. A missing key and an empty {@code value} leave nothing behind.
     *
     * @throws IllegalArgumentException if {@code offset} is negative
     * @throws OverflowException        if the string would pass 512 MiB
     */
    long setRange(String key, long offset, byte[] value);

    /**
     * LCS key1 key2: the longest common subsequence of the two strings (a missing key reads as
     * empty), as Redis 7.0 finds it: where several exist, the same one Redis answers. Runs in time
     * and memory proportional to the product of the lengths, holding the dictionary meanwhile.
     *
     * @throws WrongTypeException       if a key holds another type (Redis: {@code ERR The specified
     *                                  keys must contain string values})
     * @throws IllegalArgumentException if the table of the two lengths would pass 512 MiB
     *                                  ({@code (len1 + 1) * (len2 + 1) * 4} bytes), as Redis refuses it
     */
    byte[] lcs(String key1, String key2);

    /** LCS key1 key2 LEN: the length of the longest common subsequence; see {@link #lcs}. */
    long lcsLen(String key1, String key2);

    /**
     * LCS key1 key2 IDX [MINMATCHLEN minMatchLen] [WITHMATCHLEN]: where the longest common
     * subsequence lies in both strings, as runs of consecutive bytes, and its length; see
     * {@link #lcs}. Each run's length is {@link LcsMatch#length()}.
     *
     * @param minMatchLen only runs at least this long are listed (0 or less: all)
     */
    LcsResult lcsIdx(String key1, String key2, long minMatchLen);
}
