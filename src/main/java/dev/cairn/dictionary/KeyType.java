package dev.cairn.dictionary;

/** The type of the value a key holds, as Redis's TYPE command names it. */
public enum KeyType {
    /** No such key (or it has expired). */
    NONE("none"),
    /** A binary-safe string. */
    STRING("string"),
    /** A list of strings. */
    LIST("list"),
    /** A map of fields to strings. */
    HASH("hash"),
    /** A set of strings. */
    SET("set"),
    /** A sorted set of strings with scores. */
    ZSET("zset");

    private final String redisName;

    KeyType(String redisName) {
        this.redisName = redisName;
    }

    /** The name Redis's TYPE command answers for this type: "string", "list", ... */
    public String redisName() {
        return redisName;
    }
}
