package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.dictionary.KeyEventClass;
import dev.cairn.dictionary.KeyEventListener;
import dev.cairn.dictionary.WrongTypeException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dictionary's key events through the Java API: order, classes, transactions, expiry, listeners. */
class KeyEventsTest {
    private final ManualClock clock = new ManualClock(1_000_000);
    private final LocalDictionary dictionary = new LocalDictionary(clock, DictionaryOptions.DEFAULT.withoutSweeper());
    private final List<String> events = new ArrayList<>();
    private final KeyEventListener recorder = (eventClass, event, key) -> events.add(eventClass.flag() + event + " " + key);

    @AfterEach
    void close() {
        dictionary.close();
    }

    private static byte[] b(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void eachCommandEmitsRedisEventsInRedisOrder() {
        dictionary.addKeyEventListener(recorder);
        dictionary.strings().set("s", b("1"));
        dictionary.strings().incrBy("s", 2);
        dictionary.keys().rename("s", "t");
        dictionary.lists().rpush("l", b("a"));
        dictionary.lists().lmove("l", "m", dev.cairn.dictionary.ListEnd.LEFT, dev.cairn.dictionary.ListEnd.RIGHT);
        dictionary.keys().pexpire("t", -1, dev.cairn.dictionary.ExpireCondition.ALWAYS);
        assertThat(events).containsExactly("nnew s", "$set s", "$incrby s", "nnew t", "grename_from s",
                "grename_to t", "nnew l", "lrpush l", "nnew m", "lrpush m", "llpop l", "gdel l", "gdel t");
    }

    @Test
    void aFailedCommandEmitsNothing() {
        dictionary.lists().rpush("l", b("a"));
        dictionary.addKeyEventListener(recorder);
        assertThatThrownBy(() -> dictionary.strings().incrBy("l", 1)).isInstanceOf(WrongTypeException.class);
        assertThat(events).isEmpty();
    }

    @Test
    void aTransactionEmitsAtCommitAndAnUndoneOneNever() {
        dictionary.addKeyEventListener(recorder);
        List<String> seenInside = new ArrayList<>();
        dictionary.transaction(tx -> {
            tx.strings().set("a", b("1"));
            seenInside.addAll(events);
            return null;
        });
        assertThat(seenInside).isEmpty();
        assertThat(events).containsExactly("nnew a", "$set a");
        events.clear();
        assertThatThrownBy(() -> dictionary.transaction(tx -> {
            tx.strings().set("b", b("1"));
            return tx.strings().incrBy("b", 1) + tx.lists().rpush("b", b("x"));
        })).isInstanceOf(WrongTypeException.class);
        assertThat(events).isEmpty();
        assertThat(dictionary.keys().exists("b")).isZero();
    }

    @Test
    void anExclusiveBlockEmitsAsItGoesAndKeepsWhatSucceeded() {
        dictionary.addKeyEventListener(recorder);
        List<String> seenInside = new ArrayList<>();
        dictionary.exclusive(tx -> {
            tx.strings().set("a", b("1"));
            seenInside.addAll(events);
            try {
                tx.lists().rpush("a", b("x"));
            } catch (WrongTypeException expected) {
                // fails alone
            }
            return tx.strings().incrBy("a", 1);
        });
        assertThat(seenInside).containsExactly("nnew a", "$set a");
        assertThat(events).containsExactly("nnew a", "$set a", "$incrby a");
    }

    @Test
    void expiryLazyOrSweptEmitsExpired() {
        dictionary.strings().set("lazy", b("1"));
        dictionary.strings().set("swept", b("1"));
        dictionary.keys().pexpire("lazy", 10, dev.cairn.dictionary.ExpireCondition.ALWAYS);
        dictionary.keys().pexpire("swept", 20, dev.cairn.dictionary.ExpireCondition.ALWAYS);
        dictionary.addKeyEventListener(recorder);
        clock.advance(30);
        assertThat(dictionary.strings().get("lazy")).isNull();
        dictionary.sweepExpired();
        assertThat(events).containsExactly("xexpired lazy", "xexpired swept");
    }

    @Test
    void aFailingListenerNeitherFailsTheCommandNorSilencesTheOthers() {
        dictionary.addKeyEventListener((eventClass, event, key) -> {
            throw new IllegalStateException("listener bug");
        });
        dictionary.addKeyEventListener(recorder);
        dictionary.strings().set("a", b("1"));
        assertThat(dictionary.strings().get("a")).isEqualTo(b("1"));
        assertThat(events).containsExactly("nnew a", "$set a");
    }

    @Test
    void aRemovedListenerHearsNothingAndSilenceDropsTheEventHolder() {
        dictionary.addKeyEventListener(recorder);
        dictionary.addKeyEventListener(recorder);
        dictionary.strings().set("a", b("1"));
        assertThat(events).hasSize(4);
        assertThat(dictionary.removeKeyEventListener(recorder)).isTrue();
        assertThat(dictionary.removeKeyEventListener(recorder)).isTrue();
        assertThat(dictionary.removeKeyEventListener(recorder)).isFalse();
        dictionary.strings().set("a", b("2"));
        assertThat(events).hasSize(4);
        assertThat(dictionary.engine().listening()).isFalse();
    }

    @Test
    void classesAreRedisLetters() {
        assertThat(KeyEventClass.values()).extracting(KeyEventClass::flag)
                .containsExactly('g', '$', 'l', 's', 'h', 'z', 'x', 'n');
    }
}
