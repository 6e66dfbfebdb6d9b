package dev.cairn.dictionary;

import java.util.List;

/**
 * Commands on keys whatever their type: DEL, EXISTS, TYPE, RENAME, COPY, TOUCH, the EXPIRE
 * family, KEYS, SCAN, DBSIZE, FLUSHALL, RANDOMKEY, DUMP, RESTORE, OBJECT ENCODING, OBJECT REFCOUNT,
 * SORT and SORT_RO. Every method is one atomic command. Keys follow the rule
 * of {@link Dictionary}; deadlines are milliseconds of Unix time from the dictionary's clock.
 * An expired key is invisible to every method here.
 */
public interface KeyCommands {

    /** DEL: removes the keys; returns how many existed. */
    long del(String... keys);

    /** EXISTS: how many of the keys exist, counting a key named twice twice. */
    long exists(String... keys);

    /** TYPE: the type of the key's value, {@link KeyType#NONE} if it does not exist. */
    KeyType type(String key);

    /**
     * RENAME: moves the value and deadline of {@code key} to {@code newKey}, replacing whatever
     * {@code newKey} held.
     *
     * @throws NoSuchKeyException if {@code key} does not exist
     */
    void rename(String key, String newKey);

    /**
     * RENAMENX: as {@link #rename} but only if {@code newKey} does not exist.
     *
     * @return whether the key was renamed
     * @throws NoSuchKeyException if {@code key} does not exist
     */
    boolean renameNx(String key, String newKey);

    /**
     * COPY source destination [REPLACE]: copies the value and deadline of {@code source} to
     * {@code destination}; the copy is independent of the original.
     *
     * @param replace whether to replace an existing {@code destination} (else nothing is copied)
     * @return whether the value was copied: false if {@code source} does not exist, or
     *         {@code destination} exists and {@code replace} is false
     * @throws IllegalArgumentException if the keys are the same (Redis: {@code ERR source and
     *                                  destination objects are the same})
     */
    boolean copy(String source, String destination, boolean replace);

    /** TOUCH: how many of the keys exist, counting a key named twice twice (as EXISTS). */
    long touch(String... keys);

    /** EXPIRE key seconds. Returns whether the deadline was set (or the key deleted). */
    default boolean expire(String key, long seconds) {
        return expire(key, seconds, ExpireCondition.ALWAYS);
    }

    /**
     * EXPIRE key seconds [NX|XX|GT|LT|XX GT|XX LT]: sets a deadline {@code seconds} from now, if the
     * key exists and {@code condition} holds (see {@link ExpireCondition}, whose
     * {@link ExpireCondition#of} builds one from Redis's option flags). A deadline not in the future
     * deletes the key.
     *
     * @return whether the key exists and the condition held
     * @throws IllegalArgumentException if the deadline overflows
     */
    boolean expire(String key, long seconds, ExpireCondition condition);

    /** PEXPIRE key milliseconds [NX|XX|GT|LT]; see {@link #expire(String, long, ExpireCondition)}. */
    boolean pexpire(String key, long millis, ExpireCondition condition);

    /** EXPIREAT key unix-seconds [NX|XX|GT|LT]; see {@link #expire(String, long, ExpireCondition)}. */
    boolean expireAt(String key, long unixSeconds, ExpireCondition condition);

    /** PEXPIREAT key unix-milliseconds [NX|XX|GT|LT]; see {@link #expire(String, long, ExpireCondition)}. */
    boolean pexpireAt(String key, long unixMillis, ExpireCondition condition);

    /** PERSIST: removes the key's deadline; returns whether it had one. */
    boolean persist(String key);

    /** TTL: seconds left (rounded), -1 if the key has no deadline, -2 if it does not exist. */
    long ttl(String key);

    /** PTTL: milliseconds left, -1 if the key has no deadline, -2 if it does not exist. */
    long pttl(String key);

    /** EXPIRETIME: the deadline in Unix seconds, -1 if none, -2 if the key does not exist. */
    long expireTime(String key);

    /** PEXPIRETIME: the deadline in Unix milliseconds, -1 if none, -2 if the key does not exist. */
    long pexpireTime(String key);

    /** KEYS: every key matching a glob pattern, in no particular order. */
    List<String> keys(String pattern);

    /** SCAN cursor: one step of a scan of all keys; start with cursor 0. */
    default ScanPage<String> scan(long cursor) {
        return scan(cursor, ScanArgs.DEFAULT);
    }

    /**
     * SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]: one step of a scan of all keys.
     * A key present from the first call to the last is returned at least once, even if the
     * table grows or shrinks in between; a key may be returned more than once.
     */
    ScanPage<String> scan(long cursor, ScanArgs args);

    /** DBSIZE: the number of keys. */
    long dbSize();

    /** FLUSHALL: removes every key. */
    void flush();

    /** RANDOMKEY: a random key, or null if there is none. */
    String randomKey();

    /**
     * DUMP: the key's value serialized as Redis 7.0 serializes it (an RDB object, RDB version 10
     * and a CRC-64), which Redis's RESTORE and {@link #restore} accept; null if the key does not
     * exist. The deadline is not part of it. {@code docs/formats.md} describes the format.
     */
    byte[] dump(String key);

    /** RESTORE key ttl payload: {@link #restore(String, long, byte[], RestoreArgs)} without options. */
    default void restore(String key, long ttlMs, byte[] payload) {
        restore(key, ttlMs, payload, RestoreArgs.DEFAULT);
    }

    /**
     * RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]: stores the
     * value of a DUMP payload (Redis 7.0's or Cairn's) under {@code key}, with a deadline
     * {@code ttlMs} from now (a Unix time with ABSTTL), or none if 0. A deadline already passed
     * stores nothing (and with REPLACE deletes the key), as in Redis.
     *
     * @throws BusyKeyException       if the key exists and REPLACE was not given
     * @throws IllegalArgumentException if {@code ttlMs} is negative ({@code ERR Invalid TTL value, must be >= 0})
     * @throws DumpPayloadException   if the payload's footer is wrong or its value cannot be read
     */
    void restore(String key, long ttlMs, byte[] payload, RestoreArgs args);

    /**
     * OBJECT ENCODING: the name Redis 7.0 gives the internal encoding of the key's value when it
     * holds the same data after the same commands ({@code int}, {@code embstr}, {@code raw},
     * {@code listpack}, {@code hashtable}, {@code quicklist}, {@code intset}, {@code skiplist}),
     * or null if the key does not exist. {@code docs/dictionary.md} lists the rules.
     */
    String objectEncoding(String key);

    /**
     * OBJECT REFCOUNT: what Redis answers for the key's value: 2147483647 for a string holding
     * an integer in 0..9999 (Redis shares those objects), else 1; null if the key does not exist.
     */
    Long objectRefCount(String key);

    /**
     * SORT (and SORT_RO) without STORE: the elements of a list, set or sorted set, sorted as
     * numbers (or as byte strings with ALPHA), by themselves or by the values a BY pattern names,
     * then cut by LIMIT; with GET patterns, each element is replaced by what the patterns name
     * (null where nothing is there). Only reads. An absent key sorts as empty.
     *
     * @throws WrongTypeException if the key holds a string or a hash
     * @throws NotAFloatException if a value sorted as a number is not one
     *                            ({@code ERR One or more scores can't be converted into double})
     */
    List<byte[]> sort(String key, SortArgs args);

    /**
     * SORT ... STORE destination: stores what {@link #sort} would return as a list under
     * {@code destination} (replacing any value and deadline; an empty result deletes it; a GET
     * that finds nothing stores an empty string).
     *
     * @return the length of the stored list
     * @throws WrongTypeException if the key holds a string or a hash
     * @throws NotAFloatException if a value sorted as a number is not one
     */
    long sortStore(String key, SortArgs args, String destination);
}
