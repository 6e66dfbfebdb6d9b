package dev.cairn.junit;

import dev.cairn.dictionary.Dictionary;
import dev.cairn.log.Log;

/**
 * AssertJ entry points for what a test stored in Cairn:
 *
 * <pre>{@code
 * assertThat(log).topic("orders").containsValues("o-1", "o-2");
 * assertThat(dictionary).key("visits").hasValue("3");
 * }</pre>
 *
 * <p>Needs assertj-core on the test class path (an optional dependency of Cairn).
 */
public final class CairnAssertions {
    private CairnAssertions() {
    }

    public static LogAssert assertThat(Log log) {
        return new LogAssert(log);
    }

    public static DictionaryAssert assertThat(Dictionary dictionary) {
        return new DictionaryAssert(dictionary);
    }
}
