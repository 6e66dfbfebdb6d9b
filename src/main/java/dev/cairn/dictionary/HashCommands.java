package dev.cairn.dictionary;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Commands on hash values: a map of fields (any non-null {@code String}, compared exactly) to
 * binary-safe values. Byte arrays passed in are copied and arrays returned belong to the
 * caller. Every method is one atomic command and throws {@link WrongTypeException} (changing
 * nothing) when a key holds another type. A hash left empty is removed. Iteration order
 * (HKEYS, HGETALL, ...) is unspecified, as in Redis.
 */
public interface HashCommands {

    /** HSET key field value: returns whether the field is new. */
    boolean hset(String key, String field, byte[] value);

    /** HSET with the value encoded as UTF-8. */
    default boolean hset(String key, String field, String value) {
        return hset(key, field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** HSET key field value [field value ...]: returns how many fields are new. */
    long hset(String key, Map<String, byte[]> fields);

    /** HSETNX: sets the field only if it does not exist; returns whether it did. */
    boolean hsetNx(String key, String field, byte[] value);

    /** HGET: the field's value, or null. */
    byte[] hget(String key, String field);

    /** HGET decoded as UTF-8. */
    default String hgetString(String key, String field) {
        byte[] value = hget(key, field);
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    /** HMGET: the values in order, null for a missing field. */
    List<byte[]> hmget(String key, String... fields);

    /** HDEL: removes fields; returns how many existed. */
    long hdel(String key, String... fields);

    /** HEXISTS. */
    boolean hexists(String key, String field);

    /** HLEN: the number of fields, 0 if the key does not exist. */
    long hlen(String key);

    /** HKEYS. */
    List<String> hkeys(String key);

    /** HVALS. */
    List<byte[]> hvals(String key);

    /** HGETALL: every field and value. */
    Map<String, byte[]> hgetAll(String key);

    /**
     * HINCRBY: adds to the field's integer value (a missing field counts as 0).
     *
     * @throws NotAnIntegerException if the value is not a canonical 64-bit integer
     * @throws OverflowException     if the result leaves the 64-bit range
     */
    long hincrBy(String key, String field, long increment);

    /**
     * HINCRBYFLOAT: as {@link StringCommands#incrByFloat(String, double)} on a field; an infinite
     * increment is refused before the key is looked at, as Redis refuses it.
     *
     * @return the stored result read as a double
     * @throws NotAFloatException if the increment is NaN or infinite, the value is not a number, or
     *                            the result is not finite
     */
    double hincrByFloat(String key, String field, double increment);

    /**
     * HINCRBYFLOAT with the increment as text, read as {@link StringCommands#incrByFloat(String,
     * String)} reads it. Checks in Redis's order: the increment (not a number; then infinite,
     * {@code increment is infinite}), the key's type, the field's value ({@code value of field
     * ... is not a valid float}), the result.
     *
     * @return the stored text, the reply Redis sends
     * @throws NotAFloatException if the increment is not a finite number, the value is not a
     *                            number, or the result is not finite
     */
    String hincrByFloat(String key, String field, String increment);

    /** HSTRLEN: the length of the field's value, 0 if missing. */
    long hstrlen(String key, String field);

    /** HRANDFIELD key: a random field, or null if the key does not exist. */
    String hrandField(String key);

    /**
     * HRANDFIELD key count: {@code count > 0}: up to {@code count} distinct fields;
     * {@code count < 0}: exactly {@code -count} fields, possibly repeated; 0: none.
     */
    List<String> hrandField(String key, long count);

    /** HRANDFIELD key count WITHVALUES: as {@link #hrandField(String, long)} with values. */
    List<Map.Entry<String, byte[]>> hrandFieldWithValues(String key, long count);

    /** HSCAN key cursor: one step of a scan of the fields; start with 0, done at 0. */
    default ScanPage<Map.Entry<String, byte[]>> hscan(String key, long cursor) {
        return hscan(key, cursor, ScanArgs.DEFAULT);
    }

    /**
     * HSCAN key cursor [MATCH pattern] [COUNT count]: a field present for the whole scan is
     * returned at least once. {@link ScanArgs#type()} must be null.
     */
    ScanPage<Map.Entry<String, byte[]>> hscan(String key, long cursor, ScanArgs args);
}
