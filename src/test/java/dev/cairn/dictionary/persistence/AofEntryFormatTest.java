package dev.cairn.dictionary.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AofEntryFormatTest {

    private static List<byte[]> command(String... args) {
        List<byte[]> command = new ArrayList<>();
        for (String a : args) {
            command.add(a.getBytes(StandardCharsets.UTF_8));
        }
        return command;
    }

    @Test
    void roundTripsCommandsAndTransactions() {
        List<List<byte[]>> transaction = List.of(command("SET", "k", "v"), command("INCRBY", "n", "5"),
                command("DEL", "gone"));
        List<List<byte[]>> decoded = AofEntryFormat.decode(AofEntryFormat.encode(transaction));
        assertThat(decoded).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(decoded.get(i)).usingElementComparator(java.util.Arrays::compare)
                    .containsExactlyElementsOf(transaction.get(i));
        }
    }

    /** One to four commands of one to five random binary arguments, short and long. */
    private static List<List<byte[]>> randomCommands(Random random) {
        List<List<byte[]>> commands = new ArrayList<>();
        for (int c = 0; c < 1 + random.nextInt(4); c++) {
            List<byte[]> command = new ArrayList<>();
            for (int a = 0; a < 1 + random.nextInt(5); a++) {
                byte[] arg = new byte[random.nextInt(random.nextBoolean() ? 10 : 400)];
                random.nextBytes(arg);
                command.add(arg);
            }
            commands.add(command);
        }
        return commands;
    }

    @Test
    void roundTripsRandomBinaryArguments() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            List<List<byte[]>> commands = randomCommands(random);
            List<List<byte[]>> decoded = AofEntryFormat.decode(AofEntryFormat.encode(commands));
            assertThat(decoded).hasSameSizeAs(commands);
            for (int i = 0; i < commands.size(); i++) {
                assertThat(decoded.get(i)).usingElementComparator(java.util.Arrays::compare)
                        .containsExactlyElementsOf(commands.get(i));
            }
        }
    }

    @Test
    void rejectsBytesThatAreNotAnEntry() {
        ByteBuffer good = AofEntryFormat.encode(List.of(command("SET", "k", "v")));
        assertThatThrownBy(() -> AofEntryFormat.decode(ByteBuffer.wrap(new byte[] {9, 1})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kind 9");
        ByteBuffer truncated = good.duplicate().limit(good.limit() - 1);
        assertThatThrownBy(() -> AofEntryFormat.decode(truncated)).isInstanceOf(IllegalArgumentException.class);
        ByteBuffer longer = ByteBuffer.allocate(good.remaining() + 1).put(good.duplicate()).put((byte) 0).flip();
        assertThatThrownBy(() -> AofEntryFormat.decode(longer)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("left after");
        assertThatThrownBy(() -> AofEntryFormat.decode(ByteBuffer.wrap(new byte[] {1, (byte) 0xFF, (byte) 0xFF,
                (byte) 0xFF, (byte) 0xFF, 0x0F}))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fragmentsCarryTheWholeEncodingAndDecodeToTheSameCommands() {
        Random random = new Random(11);
        for (int round = 0; round < 200; round++) {
            List<List<byte[]>> commands = randomCommands(random);
            int fragmentBytes = 2 + random.nextInt(300);
            ByteBuffer whole = AofEntryFormat.encode(commands);
            List<ByteBuffer> fragments = new ArrayList<>();
            AofEntryFormat.encodeFragments(commands, fragmentBytes,
                    f -> fragments.add(ByteBuffer.allocate(f.remaining()).put(f).flip()));
            ByteBuffer joined = ByteBuffer.allocate(whole.remaining());
            List<ByteBuffer> pieces = new ArrayList<>();
            for (int i = 0; i < fragments.size(); i++) {
                ByteBuffer f = fragments.get(i);
                assertThat(f.remaining()).isLessThanOrEqualTo(fragmentBytes).isGreaterThan(1);
                assertThat(f.get(0)).isEqualTo(i == fragments.size() - 1 ? AofEntryFormat.KIND_LAST_FRAGMENT
                        : AofEntryFormat.KIND_FRAGMENT);
                ByteBuffer piece = f.duplicate().position(1);
                joined.put(piece.duplicate());
                pieces.add(piece);
            }
            assertThat(joined.flip()).isEqualTo(whole);
            assertThat(AofEntryFormat.encodedSize(commands)).isEqualTo(whole.remaining());
            List<List<byte[]>> decoded = AofEntryFormat.decode(pieces);
            for (int i = 0; i < commands.size(); i++) {
                assertThat(decoded.get(i)).usingElementComparator(java.util.Arrays::compare)
                        .containsExactlyElementsOf(commands.get(i));
            }
        }
    }
}
