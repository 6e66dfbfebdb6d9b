package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.dictionary.BitFieldArgs;
import dev.cairn.dictionary.BitFieldType;
import dev.cairn.dictionary.BitOperation;
import dev.cairn.dictionary.BitmapCommands;
import dev.cairn.dictionary.ExpireCondition;
import dev.cairn.dictionary.WrongTypeException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BitmapCommandsImplTest {
    private final ManualClock clock = new ManualClock(10_000);
    private final List<WriteEntry> entries = new ArrayList<>();
    private final LocalDictionary dictionary =
            new LocalDictionary(clock, DictionaryOptions.DEFAULT.withoutSweeper().withSink(entries::add));
    private final BitmapCommands bitmaps = dictionary.bitmaps();

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
            words.add(arg.length == 1 && arg[0] < 0x20 ? "\\x" + Integer.toHexString(arg[0]) : new String(arg, StandardCharsets.ISO_8859_1));
        }
        return String.join(" ", words);
    }

    @Test
    void writesOnAnotherTypeThrowAndChangeNothing() {
        dictionary.hashes().hset("h", "f", b("v"));
        dictionary.strings().set("s", b("ab"));
        int logged = entries.size();
        assertThatThrownBy(() -> bitmaps.setBit("h", 3, true)).isInstanceOf(WrongTypeException.class);
        assertThatThrownBy(() -> bitmaps.bitField("h", BitFieldArgs.EMPTY.set(BitFieldType.unsigned(8), 0, 1)))
                .isInstanceOf(WrongTypeException.class);
        assertThatThrownBy(() -> bitmaps.bitOp(BitOperation.OR, "s", "s", "h")).isInstanceOf(WrongTypeException.class);
        assertThat(dictionary.strings().get("s")).isEqualTo(b("ab"));
        assertThat(dictionary.hashes().hget("h", "f")).isEqualTo(b("v"));
        assertThat(entries).hasSize(logged);
    }

    @Test
    void setBitAndBitFieldKeepTheDeadlineWhileBitOpClearsIt() {
        dictionary.strings().set("a", b("x"));
        dictionary.keys().pexpireAt("a", 50_000, ExpireCondition.ALWAYS);
        bitmaps.setBit("a", 20, true);
        assertThat(dictionary.keys().pexpireTime("a")).isEqualTo(50_000);
        assertThat(last()).isEqualTo("SETRANGE a 2 \\x8");
        bitmaps.bitField("a", BitFieldArgs.EMPTY.set(BitFieldType.unsigned(8), 40, 'z'));
        assertThat(dictionary.keys().pexpireTime("a")).isEqualTo(50_000);
        assertThat(dictionary.strings().get("a")).containsExactly('x', 0, 8, 0, 0, 'z');
        assertThat(last()).isEqualTo("SETRANGE a 5 z");
        dictionary.keys().pexpireAt("d", 50_000, ExpireCondition.ALWAYS);
        dictionary.strings().set("d", b("old"));
        dictionary.keys().pexpireAt("d", 60_000, ExpireCondition.ALWAYS);
        assertThat(bitmaps.bitOp(BitOperation.NOT, "d", "a")).isEqualTo(6);
        assertThat(dictionary.keys().pexpireTime("d")).isEqualTo(-1);
    }

    @Test
    void bitOpOfOnlyEmptySourcesDeletesTheDestinationWhateverItsType() {
        dictionary.lists().rpush("dest", "x");
        dictionary.strings().set("empty", new byte[0]);
        assertThat(bitmaps.bitOp(BitOperation.AND, "dest", "empty", "missing")).isZero();
        assertThat(dictionary.keys().exists("dest")).isZero();
        assertThat(last()).isEqualTo("DEL dest");
        int logged = entries.size();
        assertThat(bitmaps.bitOp(BitOperation.AND, "dest", "missing")).isZero();
        assertThat(entries).as("nothing to delete, nothing logged").hasSize(logged);
    }

    @Test
    void argumentsOutOfRangeAreRefusedBeforeAnything() {
        assertThatThrownBy(() -> bitmaps.setBit("k", BitmapCommands.MAX_OFFSET + 1, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bit offset");
        assertThatThrownBy(() -> bitmaps.getBit("k", -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BitFieldArgs.EMPTY.get(BitFieldType.signed(8), -8))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bitmaps.bitOp(BitOperation.NOT, "d", "a", "b"))
                .hasMessageContaining("single source key");
        assertThatThrownBy(() -> bitmaps.bitOp(BitOperation.OR, "d")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bitmaps.bitFieldRo("k", BitFieldArgs.EMPTY.incrBy(BitFieldType.signed(8), 0, 1)))
                .hasMessageContaining("only supports the GET subcommand");
        // A field that starts inside 512 MiB but ends past it: Redis grows the string past the
        // limit there; Cairn refuses, so every string stays within it (and replays as SETRANGE).
        assertThatThrownBy(() -> bitmaps.bitField("k", BitFieldArgs.EMPTY.set(BitFieldType.signed(64),
                BitmapCommands.MAX_OFFSET - 8, 1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("past the end of a 512 MiB string");
        assertThat(dictionary.keys().exists("k", "d")).isZero();
        assertThat(entries).isEmpty();
    }

    @Test
    void bitFieldTypesParseAsRedisNamesThem() {
        assertThat(BitFieldType.parse("i64")).isEqualTo(BitFieldType.signed(64));
        assertThat(BitFieldType.parse("u63")).isEqualTo(BitFieldType.unsigned(63));
        for (String bad : new String[] {"u64", "i65", "i0", "u", "x8", "I8", "i08", "i+8", "i-1", "8", "i\u0668", "i100", "i 8"}) {
            assertThatThrownBy(() -> BitFieldType.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Invalid bitfield type");
        }
        assertThat(BitFieldType.signed(16).offsetOf(3)).isEqualTo(48);
    }

    @Test
    void aFailedTransactionUndoesBitmapWrites() {
        dictionary.strings().set("k", b("a"));
        assertThatThrownBy(() -> dictionary.transaction(tx -> {
            tx.bitmaps().setBit("k", 100, true);
            tx.bitmaps().bitOp(BitOperation.NOT, "n", "k");
            return tx.bitmaps().setBit("n", -1, true);
        })).isInstanceOf(IllegalArgumentException.class);
        assertThat(dictionary.strings().get("k")).isEqualTo(b("a"));
        assertThat(dictionary.keys().exists("n")).isZero();
    }

    @Test
    void aDictionaryReopenedFromItsFileHoldsTheBitmapWrites() {
        try (ReplayedDictionary replayed = new ReplayedDictionary(clock)) {
            BitmapCommands live = replayed.dictionary().bitmaps();
            live.setBit("a", 13, true);
            replayed.dictionary().keys().pexpireAt("a", 90_000, ExpireCondition.ALWAYS);
            live.setBit("a", 70, false);
            live.bitField("f", BitFieldArgs.EMPTY.overflow(BitFieldArgs.Overflow.FAIL)
                    .set(BitFieldType.unsigned(8), 100, 999).incrBy(BitFieldType.signed(5), 3, 7));
            live.bitOp(BitOperation.XOR, "x", "a", "f");
            live.bitOp(BitOperation.OR, "gone", "missing");
            byte[] f = replayed.dictionary().strings().get("f");
            // Grown to hold bit 107 although the SET failed; the i5 at bits 3 to 7 holds 7.
            assertThat(f).hasSize(14);
            assertThat(Arrays.copyOf(f, 1)).containsExactly(0b0000_0111);
            replayed.assertReplayRebuildsTheSameState("bitmap writes");
        }
    }
}
