package dev.cairn.junit;

import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.KeyType;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.assertj.core.api.AbstractAssert;

/** Assertions on a {@link Dictionary}: which keys it holds, and {@link #key} for one key. */
public final class DictionaryAssert extends AbstractAssert<DictionaryAssert, Dictionary> {

    DictionaryAssert(Dictionary actual) {
        super(actual, DictionaryAssert.class);
    }

    public DictionaryAssert containsKeys(String... keys) {
        isNotNull();
        List<String> missing = new ArrayList<>();
        for (String key : keys) {
            if (actual.keys().type(key) == KeyType.NONE) {
                missing.add(key);
            }
        }
        if (!missing.isEmpty()) {
            failWithMessage("expected the dictionary to hold keys <%s> but <%s> are missing; it holds <%s>",
                    List.of(keys), missing, new TreeSet<>(actual.keys().keys("*")));
        }
        return this;
    }

    public DictionaryAssert doesNotContainKeys(String... keys) {
        isNotNull();
        List<String> present = new ArrayList<>();
        for (String key : keys) {
            if (actual.keys().type(key) != KeyType.NONE) {
                present.add(key);
            }
        }
        if (!present.isEmpty()) {
            failWithMessage("expected the dictionary not to hold <%s>", present);
        }
        return this;
    }

    public DictionaryAssert hasSize(long keys) {
        isNotNull();
        long size = actual.keys().dbSize();
        if (size != keys) {
            failWithMessage("expected the dictionary to hold %d keys but it holds %d", keys, size);
        }
        return this;
    }

    /** Assertions on one key (which need not exist: see {@link KeyAssert#doesNotExist()}). */
    public KeyAssert key(String key) {
        isNotNull();
        return new KeyAssert(actual, key);
    }
}
