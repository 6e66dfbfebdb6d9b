package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.common.ClosedException;
import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.KeyType;
import dev.cairn.dictionary.Watch;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LocalDictionaryTest {
    private final ManualClock clock = new ManualClock(1_000_000);
    private final List<WriteEntry> entries = new ArrayList<>();
    private final LocalDictionary dictionary =
            new LocalDictionary(clock, DictionaryOptions.DEFAULT.withoutSweeper().withSink(entries::add));

    @AfterEach
    void close() {
        dictionary.close();
    }

    @Test
    void setThenGetReturnsTheValue() {
        dictionary.strings().set("a", "1");
        assertThat(dictionary.strings().getString("a")).isEqualTo("1");
        assertThat(dictionary.keys().type("a")).isEqualTo(KeyType.STRING);
        assertThat(entries).hasSize(1);
    }

    @Test
    void transactionThatThrowsLeavesNoEffect() {
        dictionary.strings().set("a", "1");
        int before = entries.size();
        assertThatThrownBy(() -> dictionary.transaction(tx -> {
            tx.strings().set("a", "2");
            tx.strings().set("b", "3");
            tx.keys().pexpire("a", 100, dev.cairn.dictionary.ExpireCondition.ALWAYS);
            tx.keys().flush();
            tx.strings().set("c", "4");
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        assertThat(dictionary.strings().getString("a")).isEqualTo("1");
        assertThat(dictionary.keys().exists("b", "c")).isZero();
        assertThat(dictionary.keys().pttl("a")).isEqualTo(-1);
        assertThat(entries).hasSize(before);
    }

    @Test
    void committedTransactionIsOneEntry() {
        dictionary.transaction(tx -> {
            tx.strings().set("a", "1");
            tx.strings().incr("n");
            return null;
        });
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).commands()).hasSize(2);
    }

    @Test
    void watchAbortsWhenAKeyChanged() {
        Watch watch = dictionary.watch("a");
        dictionary.strings().set("a", "x");
        Optional<String> result = dictionary.transaction(watch, tx -> {
            tx.strings().set("b", "y");
            return "ran";
        });
        assertThat(result).isEmpty();
        assertThat(dictionary.keys().exists("b")).isZero();
    }

    @Test
    void callsAfterCloseThrow() {
        dictionary.close();
        assertThatThrownBy(() -> dictionary.strings().get("a")).isInstanceOf(ClosedException.class);
        Dictionary same = dictionary;
        same.close();
    }
}
