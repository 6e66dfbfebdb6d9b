package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
                        int at = table.insertAbsent(member, table.hash(member), step);
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
            table.insertAbsent(member, table.hash(member), null);
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
            table.insertAbsent(member, table.hash(member), null);
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
                table.insertAbsent(member, table.hash(member), null);
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
                        table.insertAbsent(member, table.hash(member), null);
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
        table.insertAbsent(a, table.hash(a), "one");
        MemberTable copy = table.copy();
        byte[] b = bytes(2);
        copy.insertAbsent(b, copy.hash(b), "two");
        copy.setValueAt(copy.indexOf(a), "uno");
        assertThat(table.size()).isEqualTo(1);
        assertThat(table.indexOf(b)).isNegative();
        assertThat(table.valueAt(table.indexOf(a))).isEqualTo("one");
    }

    @Test
    void contentEqualityNotIdentity() {
        MemberTable table = new MemberTable(false, 0);
        byte[] member = {1, 2, 3};
        table.insertAbsent(member, table.hash(member), null);
        assertThat(table.indexOf(new byte[] {1, 2, 3})).isZero();
        assertThat(table.indexOf(new byte[] {1, 2})).isNegative();
        assertThat(table.hash(new byte[] {1, 2, 3})).isEqualTo(table.hash(member));
    }

    // 2^15 members with one Arrays.hashCode (and so one fast hash, the finalizer being a
    // bijection): the table switches to the seeded hash and no chain grows past the bound.
    @Test
    void aFloodOfCollidingMembersSwitchesToTheSeededHashAndChainsStayShort() {
        List<byte[]> members = CollidingKeys.bytes("", 15, 1 << 15);
        MemberTable table = new MemberTable(true, 0);
        assertThat(table.hash(members.get(0))).isEqualTo(table.hash(members.get(members.size() - 1)));
        for (int i = 0; i < members.size(); i++) {
            byte[] member = members.get(i);
            assertThat(table.insertAbsent(member, table.hash(member), i)).isEqualTo(i);
            if ((i & 1023) == 0 || i < 64) {
                assertThat(table.longestChain()).as("after %d members", i + 1).isLessThanOrEqualTo(MemberTable.LONG_CHAIN);
            }
        }
        assertThat(table.seeded()).isTrue();
        assertThat(table.longestChain()).isLessThanOrEqualTo(MemberTable.LONG_CHAIN);
        // The switch keeps entry indexes: values still sit beside their members.
        for (int i = 0; i < members.size(); i++) {
            int index = table.indexOf(members.get(i));
            assertThat(index).isEqualTo(i);
            assertThat(table.valueAt(index)).isEqualTo(i);
        }
        for (int i = 0; i < members.size(); i += 2) {
            table.removeAt(table.indexOf(members.get(i)));
        }
        assertThat(table.size()).isEqualTo(members.size() / 2);
        assertThat(table.indexOf(members.get(0))).isNegative();
        assertThat(table.valueAt(table.indexOf(members.get(1)))).isEqualTo(1);
    }

    @Test
    void ordinaryMembersStayOnTheFastHash() {
        MemberTable decimal = new MemberTable(false, 0);
        MemberTable random16 = new MemberTable(false, 0);
        Random random = new Random(3);
        for (int i = 0; i < 1 << 18; i++) {
            byte[] text = ascii("member:" + i);
            decimal.insertAbsent(text, decimal.hash(text), null);
            byte[] bytes = new byte[16];
            random.nextBytes(bytes);
            random16.insertAbsent(bytes, random16.hash(bytes), null);
        }
        assertThat(decimal.seeded()).isFalse();
        assertThat(random16.seeded()).isFalse();
    }

    // Arrays.hashCode is a polynomial in signed bytes, so short binary members collide without
    // anyone choosing them: the 2^18 four-byte counters below take about 11,000 distinct hashes,
    // about 24 members each. The table switches and its chains become short.
    @Test
    void binaryCountersThatCollideNaturallySwitchToo() {
        MemberTable probe = new MemberTable(false, 0);
        MemberTable numbers = new MemberTable(false, 0);
        Set<Integer> fastHashes = new HashSet<>();
        for (int i = 0; i < 1 << 18; i++) {
            fastHashes.add(probe.hash(bytes(i)));
            numbers.insertAbsent(bytes(i), numbers.hash(bytes(i)), null);
        }
        assertThat(fastHashes).hasSizeLessThan(12_000);
        assertThat(numbers.seeded()).isTrue();
        assertThat(numbers.longestChain()).isLessThanOrEqualTo(MemberTable.LONG_CHAIN);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    // Members sharing the low bits of their fast hash, spread over a large table: the shrinks
    // after removing the rest merge them into long chains, so a shrink must switch too.
    @Test
    void aShrinkThatMergesChainsIntoALongOneSwitches() {
        MemberTable probe = new MemberTable(false, 0);
        MemberTable table = new MemberTable(false, 0);
        for (int i = 0; i < 4096; i++) {
            byte[] filler = ascii("filler" + i);
            table.insertAbsent(filler, table.hash(filler), null);
        }
        assertThat(table.capacity()).isEqualTo(4096);
        Map<Integer, Integer> perBucket = new HashMap<>();
        List<byte[]> merging = new ArrayList<>();
        for (int i = 0; merging.size() < 40; i++) {
            byte[] member = ascii("m" + i);
            int hash = probe.hash(member);
            if ((hash & 63) == 0 && perBucket.merge(hash & 8191, 1, Integer::sum) <= 2) {
                merging.add(member);
            }
        }
        merging.forEach(member -> table.insertAbsent(member, table.hash(member), null));
        assertThat(table.capacity()).isEqualTo(8192);
        assertThat(table.seeded()).isFalse();
        for (int i = 0; i < 4096; i++) {
            table.removeAt(table.indexOf(ascii("filler" + i)));
        }
        assertThat(table.capacity()).isLessThan(256);
        assertThat(table.seeded()).isTrue();
        assertThat(table.longestChain()).isLessThanOrEqualTo(MemberTable.LONG_CHAIN);
        merging.forEach(member -> assertThat(table.indexOf(member)).isNotNegative());
    }

    // Random inserts and removals of colliding and ordinary members, against a HashMap after each
    // step; the table switches part way, and a full scan at the end reports every member.
    @Test
    void behavesAsAHashMapWithCollidingAndOrdinaryMembers() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<byte[]> colliding = CollidingKeys.bytes("", 11, 2048);
        for (int round = 0; round < 4; round++) {
            MemberTable table = new MemberTable(true, 0);
            Map<ByteBuffer, Integer> model = new HashMap<>();
            for (int step = 0; step < 20_000; step++) {
                byte[] member = random.nextInt(3) == 0 ? colliding.get(random.nextInt(colliding.size()))
                        : bytes(random.nextInt(3_000));
                ByteBuffer key = ByteBuffer.wrap(member);
                int index = table.indexOf(member);
                if (random.nextInt(20_000) < step) {
                    assertThat(index >= 0).as("seed %d step %d", seed, step).isEqualTo(model.containsKey(key));
                    if (index >= 0) {
                        assertThat(table.valueAt(index)).as("seed %d step %d", seed, step).isEqualTo(model.remove(key));
                        table.removeAt(index);
                    }
                } else if (index >= 0) {
                    table.setValueAt(index, step);
                    model.put(key, step);
                } else {
                    table.insertAbsent(member, table.hash(member), step);
                    model.put(key, step);
                }
                assertThat(table.size()).as("seed %d step %d", seed, step).isEqualTo(model.size());
            }
            for (Map.Entry<ByteBuffer, Integer> entry : model.entrySet()) {
                int index = table.indexOf(entry.getKey().array());
                assertThat(index).as("seed %d", seed).isNotNegative();
                assertThat(table.valueAt(index)).as("seed %d", seed).isEqualTo(entry.getValue());
            }
            Set<ByteBuffer> scanned = new HashSet<>();
            long cursor = 0;
            do {
                cursor = table.scan(cursor, 10, i -> scanned.add(ByteBuffer.wrap(table.memberAt(i))));
            } while (cursor != 0);
            assertThat(scanned).as("seed %d", seed).isEqualTo(model.keySet());
            assertThat(table.longestChain()).as("seed %d", seed).isLessThanOrEqualTo(MemberTable.LONG_CHAIN);
        }
    }

    @Test
    void aScanSpanningTheSwitchReportsEveryStableMember() {
        for (int round = 0; round < 20; round++) {
            MemberTable table = new MemberTable(false, 0);
            for (int i = 0; i < 500; i++) {
                table.insertAbsent(bytes(i), table.hash(bytes(i)), null);
            }
            Set<Integer> seen = new HashSet<>();
            long cursor = table.scan(0, 1 + round * 10, i -> seen.add(number(table.memberAt(i))));
            assertThat(cursor).isNotZero();
            for (byte[] member : CollidingKeys.bytes("", 6, 64)) {
                table.insertAbsent(member, table.hash(member), null);
            }
            assertThat(table.seeded()).isTrue();
            do {
                cursor = table.scan(cursor, 7, i -> {
                    if (table.memberAt(i).length == 4) {
                        seen.add(number(table.memberAt(i)));
                    }
                });
            } while (cursor != 0);
            for (int i = 0; i < 500; i++) {
                assertThat(seen).as("round %d", round).contains(i);
            }
        }
    }

    @Test
    void aCopyOfAFloodedTableStaysOnTheSeededHash() {
        SortedSetValue zset = new SortedSetValue();
        for (byte[] member : CollidingKeys.bytes("", 6, 64)) {
            zset.put(member, 1.0);
        }
        SetValue set = new SetValue();
        CollidingKeys.bytes("", 6, 64).forEach(set::add);
        MemberTable table = new MemberTable(false, 0);
        for (byte[] member : CollidingKeys.bytes("", 6, 64)) {
            table.insertAbsent(member, table.hash(member), null);
        }
        assertThat(table.seeded()).isTrue();
        assertThat(table.copy().seeded()).isTrue();
        SortedSetValue zcopy = zset.copy();
        SetValue scopy = set.copy();
        for (byte[] member : CollidingKeys.bytes("", 6, 64)) {
            assertThat(zcopy.scoreOrNaN(member)).isEqualTo(1.0);
            assertThat(scopy.contains(member)).isTrue();
        }
    }
}
