package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.dictionary.Expiration;
import dev.cairn.dictionary.LcsMatch;
import dev.cairn.dictionary.LcsResult;
import dev.cairn.dictionary.NotAnIntegerException;
import dev.cairn.dictionary.OverflowException;
import dev.cairn.dictionary.SetArgs;
import dev.cairn.dictionary.WrongTypeException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StringCommandsImplTest {
    private final ManualClock clock = new ManualClock(10_000);
    private final List<WriteEntry> entries = new ArrayList<>();
    private final LocalDictionary dictionary =
            new LocalDictionary(clock, DictionaryOptions.DEFAULT.withoutSweeper().withSink(entries::add));

    @AfterEach
    void close() {
        dictionary.close();
    }

    private static byte[] b(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private String last() {
        List<String> words = new ArrayList<>();
        for (byte[] arg : entries.get(entries.size() - 1).commands().get(0)) {
            words.add(new String(arg, StandardCharsets.UTF_8));
        }
        return String.join(" ", words);
    }

    @Test
    void setRangeAtAnOffsetNearLongMaxIsRefusedAsTooLargeAndChangesNothing() {
        // offset + length used to overflow to a negative size, passing the check.
        dictionary.strings().set("k", b("abc"));
        for (long offset : new long[] {Long.MAX_VALUE, Long.MAX_VALUE - 1, Long.MAX_VALUE - 2, Numbers.MAX_STRING_BYTES}) {
            assertThatThrownBy(() -> dictionary.strings().setRange("k", offset, b("xy")))
                    .as("offset %d", offset).isInstanceOf(OverflowException.class)
                    .hasMessageContaining("maximum allowed size");
            assertThatThrownBy(() -> dictionary.strings().setRange("absent", offset, b("xy")))
                    .as("offset %d on an absent key", offset).isInstanceOf(OverflowException.class);
        }
        assertThat(dictionary.strings().get("k")).isEqualTo(b("abc"));
        assertThat(dictionary.keys().exists("absent")).isZero();
        assertThat(dictionary.strings().setRange("k", Long.MAX_VALUE, new byte[0])).isEqualTo(3);
    }

    @Test
    void valuesAreCopiedInAndOut() {
        byte[] value = {1, 2, 3};
        dictionary.strings().set("k", value);
        value[0] = 9;
        byte[] read = dictionary.strings().get("k");
        assertThat(read).containsExactly(1, 2, 3);
        read[1] = 9;
        assertThat(dictionary.strings().get("k")).containsExactly(1, 2, 3);
    }

    @Test
    void getRefusesAnInvalidKeyThoughItChecksOnlyWhenNothingIsFound() {
        dictionary.strings().set("k", new byte[] {1});
        assertThatThrownBy(() -> dictionary.strings().get("k\ud800")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index 1").hasMessageContaining("0xD800");
        assertThatThrownBy(() -> dictionary.strings().get(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("null");
        assertThatThrownBy(() -> dictionary.strings().get("x".repeat(KeyRules.MAX_KEY_LENGTH + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65536");
        assertThat(dictionary.strings().get("k")).containsExactly(1);
    }

    @Test
    void anInvalidKeyCaughtInsideATransactionDoesNotUndoIt() {
        String result = dictionary.transaction(tx -> {
            tx.strings().set("k", new byte[] {2});
            assertThatThrownBy(() -> tx.strings().get("bad\ud800")).isInstanceOf(IllegalArgumentException.class);
            return "done";
        });
        assertThat(result).isEqualTo("done");
        assertThat(dictionary.strings().get("k")).containsExactly(2);
    }

    @Test
    void setOptionsFollowRedis() {
        assertThat(dictionary.strings().set("k", "a", SetArgs.DEFAULT.xx()).written()).isFalse();
        assertThat(dictionary.strings().set("k", "a", SetArgs.DEFAULT.nx().withGet()).oldValue()).isNull();
        assertThat(dictionary.strings().set("k", "b", SetArgs.DEFAULT.nx()).written()).isFalse();
        assertThat(new String(dictionary.strings().set("k", "c", SetArgs.DEFAULT.withGet()).oldValue(),
                StandardCharsets.UTF_8)).isEqualTo("a");
        dictionary.strings().set("k", "d", SetArgs.DEFAULT.with(Expiration.seconds(3)));
        assertThat(last()).isEqualTo("SET k d PXAT 13000");
        dictionary.strings().set("k", "e", SetArgs.DEFAULT.with(Expiration.keepTtl()));
        assertThat(dictionary.keys().pttl("k")).isEqualTo(3000);
        dictionary.strings().set("k", "f");
        assertThat(dictionary.keys().pttl("k")).isEqualTo(-1);
        assertThatThrownBy(() -> dictionary.strings().set("k", "g", SetArgs.DEFAULT.with(Expiration.millis(0))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(dictionary.strings().getString("k")).isEqualTo("f");
    }

    @Test
    void setGetOnAnotherTypeFailsAndChangesNothing() {
        dictionary.lists().rpush("l", "x");
        assertThatThrownBy(() -> dictionary.strings().set("l", "v", SetArgs.DEFAULT.withGet()))
                .isInstanceOf(WrongTypeException.class);
        assertThat(dictionary.lists().llen("l")).isEqualTo(1);
        dictionary.strings().set("l", "plain set overwrites any type");
        assertThat(dictionary.strings().getString("l")).startsWith("plain");
    }

    @Test
    void countersKeepTheDeadlineAndRefuseBadValues() {
        dictionary.strings().set("n", "10", SetArgs.DEFAULT.with(Expiration.millis(500)));
        assertThat(dictionary.strings().incrBy("n", 5)).isEqualTo(15);
        assertThat(dictionary.keys().pttl("n")).isEqualTo(500);
        dictionary.strings().set("bad", "1.5");
        assertThatThrownBy(() -> dictionary.strings().incr("bad")).isInstanceOf(NotAnIntegerException.class);
        dictionary.strings().set("max", Long.toString(Long.MAX_VALUE));
        assertThatThrownBy(() -> dictionary.strings().incr("max")).isInstanceOf(OverflowException.class);
        assertThatThrownBy(() -> dictionary.strings().decrBy("n", Long.MIN_VALUE)).isInstanceOf(OverflowException.class);
        assertThat(dictionary.strings().getString("max")).isEqualTo(Long.toString(Long.MAX_VALUE));
        assertThat(dictionary.strings().incrByFloat("f", 0.1)).isEqualTo(0.1);
        assertThat(last()).isEqualTo("SET f 0.1 KEEPTTL");
    }

    @Test
    void rangesClipAndPadAsRedis() {
        dictionary.strings().set("s", "Hello World");
        assertThat(new String(dictionary.strings().getRange("s", -5, -1), StandardCharsets.UTF_8)).isEqualTo("World");
        assertThat(dictionary.strings().getRange("s", 5, 2)).isEmpty();
        assertThat(dictionary.strings().setRange("pad", 3, "x".getBytes(StandardCharsets.UTF_8))).isEqualTo(4);
        assertThat(dictionary.strings().get("pad")).containsExactly(0, 0, 0, 'x');
        assertThat(dictionary.strings().setRange("empty", 5, new byte[0])).isZero();
        assertThat(dictionary.keys().exists("empty")).isZero();
        assertThatThrownBy(() -> dictionary.strings().setRange("s", Numbers.MAX_STRING_BYTES, new byte[] {1}))
                .isInstanceOf(OverflowException.class);
        assertThatThrownBy(() -> dictionary.strings().setRange("s", -1, new byte[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(dictionary.strings().append("s", "!".getBytes(StandardCharsets.UTF_8))).isEqualTo(12);
    }

    @Test
    void lcsAnswersAsRedisDocumentsIt() {
        dictionary.strings().set("key1", b("ohmytext"));
        dictionary.strings().set("key2", b("mynewtext"));
        assertThat(dictionary.strings().lcs("key1", "key2")).isEqualTo(b("mytext"));
        assertThat(dictionary.strings().lcsLen("key1", "key2")).isEqualTo(6);
        assertThat(dictionary.strings().lcsIdx("key1", "key2", 0)).isEqualTo(new LcsResult(
                List.of(new LcsMatch(4, 7, 5, 8), new LcsMatch(2, 3, 0, 1)), 6));
        assertThat(dictionary.strings().lcsIdx("key1", "key2", 4).matches()).containsExactly(new LcsMatch(4, 7, 5, 8));
        assertThat(dictionary.strings().lcs("key1", "missing")).isEmpty();
    }

    @Test
    void lcsRefusesATableLargerThanRedisAllows() {
        // (12,001)^2 * 4 bytes is about 576 MB, past the 512 MiB Redis allows for the table.
        dictionary.strings().set("a", new byte[12_000]);
        dictionary.strings().set("b", new byte[12_000]);
        assertThatThrownBy(() -> dictionary.strings().lcsLen("a", "b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("transient memory for LCS");
        dictionary.hashes().hset("h", "f", b("v"));
        assertThatThrownBy(() -> dictionary.strings().lcs("a", "h")).isInstanceOf(WrongTypeException.class);
    }
}
