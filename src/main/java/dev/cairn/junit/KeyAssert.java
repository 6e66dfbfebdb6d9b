package dev.cairn.junit;

import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.KeyType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on one key of a {@link Dictionary}, each read when it runs. Values are compared as
 * UTF-8 text.
 */
public final class KeyAssert extends AbstractAssert<KeyAssert, String> {
    private final Dictionary dictionary;

    KeyAssert(Dictionary dictionary, String key) {
        super(key, KeyAssert.class);
        this.dictionary = dictionary;
    }

    public KeyAssert exists() {
        if (type() == KeyType.NONE) {
            failWithMessage("expected key <%s> to exist", actual);
        }
        return this;
    }

    public KeyAssert doesNotExist() {
        KeyType type = type();
        if (type != KeyType.NONE) {
            failWithMessage("expected key <%s> not to exist but it holds a %s", actual, type.redisName());
        }
        return this;
    }

    public KeyAssert hasType(KeyType expected) {
        KeyType type = type();
        if (type != expected) {
            failWithMessage("expected key <%s> to hold a %s but it holds %s", actual, expected.redisName(),
                    type == KeyType.NONE ? "nothing" : "a " + type.redisName());
        }
        return this;
    }

    /** The key holds the string {@code expected}. */
    public KeyAssert hasValue(String expected) {
        hasType(KeyType.STRING);
        String value = text(dictionary.strings().get(actual));
        if (!expected.equals(value)) {
            failWithMessage("expected key <%s> to hold <%s> but it holds <%s>", actual, expected, value);
        }
        return this;
    }

    /** The key is a hash whose field {@code field} holds {@code expected}. */
    public KeyAssert hasField(String field, String expected) {
        hasType(KeyType.HASH);
        String value = text(dictionary.hashes().hget(actual, field));
        if (!expected.equals(value)) {
            failWithMessage("expected field <%s> of hash <%s> to hold <%s> but it holds <%s>; the hash is <%s>", field,
                    actual, expected, value, hash());
        }
        return this;
    }

    /** The key is a list holding exactly {@code expected}, in order. */
    public KeyAssert hasElements(String... expected) {
        hasType(KeyType.LIST);
        List<String> elements = texts(dictionary.lists().lrange(actual, 0, -1));
        if (!elements.equals(List.of(expected))) {
            failWithMessage("expected list <%s> to be <%s> but it is <%s>", actual, List.of(expected), elements);
        }
        return this;
    }

    /** The key is a set holding exactly {@code expected}, in any order. */
    public KeyAssert hasMembers(String... expected) {
        hasType(KeyType.SET);
        Set<String> members = new HashSet<>(texts(dictionary.sets().smembers(actual)));
        if (!members.equals(Set.of(expected))) {
            failWithMessage("expected set <%s> to be <%s> but it is <%s>", actual, Set.of(expected), members);
        }
        return this;
    }

    /** The key exists and has a time to live. */
    public KeyAssert hasExpiry() {
        exists();
        if (dictionary.keys().pttl(actual) < 0) {
            failWithMessage("expected key <%s> to have a time to live but it has none", actual);
        }
        return this;
    }

    /** The key exists and has no time to live. */
    public KeyAssert hasNoExpiry() {
        exists();
        long ttl = dictionary.keys().pttl(actual);
        if (ttl >= 0) {
            failWithMessage("expected key <%s> to have no time to live but it expires in %d ms", actual, ttl);
        }
        return this;
    }

    private KeyType type() {
        return dictionary.keys().type(actual);
    }

    private Map<String, String> hash() {
        Map<String, String> hash = new TreeMap<>();
        dictionary.hashes().hgetAll(actual).forEach((f, v) -> hash.put(f, text(v)));
        return hash;
    }

    private static List<String> texts(List<byte[]> values) {
        List<String> texts = new ArrayList<>(values.size());
        values.forEach(v -> texts.add(text(v)));
        return texts;
    }

    private static String text(byte[] value) {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }
}
