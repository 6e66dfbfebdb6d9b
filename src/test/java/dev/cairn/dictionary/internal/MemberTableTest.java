package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MemberTableTest {
    private static final int ITERATIONS = Integer.getInteger("cairn.fuzz.iterations", 200);

    private static byte[] bytes(int n) {
        return ByteBuffer.allocate(4).putInt(n).array();
    }

    private static int number(byte[] member) {
        return ByteBuffer.wrap(member).getInt();
    }

    @Test
    void insertFindRemoveAgainstAHashMap() {
        // Random inserts and removals over a small key space, compared with a HashMap after each step.
        for (long seed = 0; seed < Math.max(5, ITERATIONS / 20); seed++) {
            Random random = new Random(seed);
            MemberTable table = new MemberTable(true, 0);
            Map<Integer, Integer> model = new HashMap<>();
            for (int step = 0; step < 3000; step++) {
                int key = random.nextInt(random.nextBoolean() ? 40 : 2000);
                int index = table.indexOf(bytes(key));
                String where = "seed " + seed + " step " + step;
                assertThat(index >= 0).as(where).isEqualTo(model.containsKey(key));
                if (index >= 0) {
                    assertThat(table.valueAt(index)).as(where).isEqualTo(model.get(key));
                }
                if (random.nextInt(100) < 55) {
                    if (index < 0) {
                        byte[] member = bytes(key);
                        int at = table.insertAbsent(member, MemberTable.hash(member), step);
                        assertThat(table.memberAt(at)).isSameAs(member);
                        model.put(key, step);
                    } else {
                        table.setValueAt(index, step);
                        model.put(key, step);
                    }
                } else if (index >= 0) {
                    table.removeAt(index);
                    model.remove(key);
                }
                assertThat(table.size()).as(where).isEqualTo(model.size());
            }
            Map<Integer, Object> contents = new HashMap<>();
            for (int i = 0; i < table.size(); i++) {
                contents.put(number(table.memberAt(i)), table.valueAt(i));
            }
            assertThat(contents).isEqualTo(model);
        }
    }

    @Test
    void capacityGrowsWhenFullAndShrinksBelowAQuarter() {
        MemberTable table = new MemberTable(false, 0);
        assertThat(table.capacity()).isEqualTo(MemberTable.MIN_CAPACITY);
        for (int i = 0; i < 1000; i++) {
            byte[] member = bytes(i);
            table.insertAbsent(member, MemberTable.hash(member), null);
        }
        assertThat(table.capacity()).isEqualTo(1024);
        while (table.size() > 10) {
            table.removeAt(table.indexOf(bytes(number(table.memberAt(0)))));
        }
        assertThat(table.capacity()).isLessThanOrEqualTo(64);
        table.clear();
        assertThat(table.size()).isZero();
        assertThat(table.capacity()).isEqualTo(MemberTable.MIN_CAPACITY);
    }

    @Test
    void expectedSizePreallocates() {
        assertThat(new MemberTable(false, 1000).capacity()).isEqualTo(1024);
        assertThatThrownBy(() -> new MemberTable(false, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void removeAtOutsideTheEntriesIsRefused() {
        MemberTable table = new MemberTable(false, 0);
        assertThatThrownBy(() -> table.removeAt(0)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("index 0 outside [0, 0)");
    }

    @Test
    void aFullScanOfAStableTableReportsEveryMemberAndEndsAtZero() {
        MemberTable table = new MemberTable(false, 0);
        for (int i = 0; i < 777; i++) {
            byte[] member = bytes(i);
            table.insertAbsent(member, MemberTable.hash(member), null);
        }
        Set<Integer> seen = new HashSet<>();
        long cursor = 0;
        int calls = 0;
        do {
            cursor = table.scan(cursor, 10, i -> seen.add(number(table.memberAt(i))));
            calls++;
        } while (cursor != 0);
        assertThat(seen).hasSize(777);
        assertThat(calls).isGreaterThan(10);
    }

    @Test
    void membersPresentForTheWholeScanAreReportedDespiteGrowthAndShrinking() {
        // Between scan calls the table grows to 16x and shrinks back; the stable members must all be seen.
        for (long seed = 0; seed < Math.max(10, ITERATIONS / 10); seed++) {
            Random random = new Random(seed);
            MemberTable table = new MemberTable(false, 0);
            Set<Integer> stable = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                byte[] member = bytes(i);
                table.insertAbsent(member, MemberTable.hash(member), null);
                stable.add(i);
            }
            List<Integer> transientKeys = new ArrayList<>();
            int next = 1_000_000;
            Set<Integer> seen = new HashSet<>();
            long cursor = 0;
            do {
                cursor = table.scan(cursor, 1 + random.nextInt(20), i -> seen.add(number(table.memberAt(i))));
                int action = random.nextInt(3);
                if (action == 0) {
                    for (int k = 0; k < 1 + random.nextInt(3000); k++) {
                        byte[] member = bytes(next);
                        table.insertAbsent(member, MemberTable.hash(member), null);
                        transientKeys.add(next++);
                    }
                } else if (action == 1) {
                    while (!transientKeys.isEmpty() && random.nextInt(50) != 0) {
                        int key = transientKeys.remove(transientKeys.size() - 1);
                        table.removeAt(table.indexOf(bytes(key)));
                    }
                }
            } while (cursor != 0);
            assertThat(seen).as("seed " + seed).containsAll(stable);
        }
    }

    @Test
    void scanOfAnEmptyTableIsComplete() {
        assertThat(new MemberTable(false, 0).scan(12345, 10, i -> { })).isZero();
        assertThatThrownBy(() -> new MemberTable(false, 0).scan(0, 0, i -> { }))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCopyIsIndependent() {
        MemberTable table = new MemberTable(true, 0);
        byte[] a = bytes(1);
        table.insertAbsent(a, MemberTable.hash(a), "one");
        MemberTable copy = table.copy();
        byte[] b = bytes(2);
        copy.insertAbsent(b, MemberTable.hash(b), "two");
        copy.setValueAt(copy.indexOf(a), "uno");
        assertThat(table.size()).isEqualTo(1);
        assertThat(table.indexOf(b)).isNegative();
        assertThat(table.valueAt(table.indexOf(a))).isEqualTo("one");
    }

    @Test
    void contentEqualityNotIdentity() {
        MemberTable table = new MemberTable(false, 0);
        byte[] member = {1, 2, 3};
        table.insertAbsent(member, MemberTable.hash(member), null);
        assertThat(table.indexOf(new byte[] {1, 2, 3})).isZero();
        assertThat(table.indexOf(new byte[] {1, 2})).isNegative();
        assertThat(MemberTable.hash(new byte[] {1, 2, 3})).isEqualTo(MemberTable.hash(member));
    }
}
