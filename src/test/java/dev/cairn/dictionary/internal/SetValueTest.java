package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SetValueTest {
    private static final int ITERATIONS = Integer.getInteger("cairn.fuzz.iterations", 200);

    private static byte[] m(int i) {
        return ByteBuffer.allocate(4).putInt(i).array();
    }

    private static Set<ByteBuffer> contents(List<byte[]> members) {
        Set<ByteBuffer> out = new HashSet<>();
        members.forEach(member -> out.add(ByteBuffer.wrap(member)));
        return out;
    }

    @Test
    void randomOperationsMatchAHashSet() {
        for (long seed = 0; seed < Math.max(4, ITERATIONS / 25); seed++) {
            Random random = new Random(seed);
            SplittableRandom picks = new SplittableRandom(seed);
            SetValue set = new SetValue();
            Set<ByteBuffer> model = new HashSet<>();
            for (int step = 0; step < 2000; step++) {
                String where = "seed " + seed + " step " + step;
                byte[] member = m(random.nextInt(300));
                switch (random.nextInt(6)) {
                    case 0, 1 -> assertThat(set.add(member)).as(where).isEqualTo(model.add(ByteBuffer.wrap(member)));
                    case 2 -> assertThat(set.remove(member)).as(where).isEqualTo(model.remove(ByteBuffer.wrap(member)));
                    case 3 -> assertThat(set.contains(member)).as(where).isEqualTo(model.contains(ByteBuffer.wrap(member)));
                    case 4 -> {
                        List<byte[]> popped = set.pop(random.nextInt(4), picks);
                        assertThat(popped).as(where).doesNotHaveDuplicates();
                        for (byte[] p : popped) {
                            assertThat(model.remove(ByteBuffer.wrap(p))).as(where).isTrue();
                        }
                    }
                    default -> {
                        long count = random.nextInt(2 * model.size() + 5) - model.size() - 2;
                        List<byte[]> chosen = set.randomMembers(count, picks);
                        assertThat(model).as(where).containsAll(contents(chosen));
                        if (count >= 0) {
                            assertThat(chosen).hasSize((int) Math.min(count, model.size()));
                            assertThat(contents(chosen)).hasSize(chosen.size());
                        } else {
                            assertThat(chosen).hasSize(model.isEmpty() ? 0 : (int) -count);
                        }
                    }
                }
                assertThat(set.size()).as(where).isEqualTo(model.size());
            }
            assertThat(contents(set.members())).isEqualTo(model);
        }
    }

    @Test
    void randomMemberIsUniformEnough() {
        // With a fixed seed, 40,000 draws over 4 members: each count within 5% of 10,000.
        SetValue set = new SetValue();
        for (int i = 0; i < 4; i++) {
            set.add(m(i));
        }
        int[] counts = new int[4];
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 40_000; i++) {
            counts[ByteBuffer.wrap(set.randomMember(random)).getInt()]++;
        }
        for (int count : counts) {
            assertThat(count).isBetween(9_500, 10_500);
        }
        assertThat(new SetValue().randomMember(random)).isNull();
    }

    @Test
    void popRefusesNegativeCountsAndEmptiesTheSet() {
        SetValue set = new SetValue();
        set.add(m(1));
        set.add(m(2));
        assertThatThrownBy(() -> set.pop(-1, new SplittableRandom())).isInstanceOf(IllegalArgumentException.class);
        assertThat(set.size()).isEqualTo(2);
        assertThat(set.pop(Long.MAX_VALUE, new SplittableRandom())).hasSize(2);
        assertThat(set.isEmpty()).isTrue();
    }

    @Test
    void copyIsIndependentAndScanCoversEverything() {
        SetValue set = new SetValue(100);
        for (int i = 0; i < 100; i++) {
            set.add(m(i));
        }
        SetValue copy = set.copy();
        copy.remove(m(5));
        assertThat(set.contains(m(5))).isTrue();
        assertThat(set.type()).isEqualTo(dev.cairn.dictionary.KeyType.SET);
        List<byte[]> seen = new ArrayList<>();
        long cursor = 0;
        do {
            cursor = set.scan(cursor, 3, seen::add);
        } while (cursor != 0);
        assertThat(contents(seen)).hasSize(100);
    }
}
