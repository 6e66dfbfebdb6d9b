package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StringTableTest {

    @Test
    void behavesAsAHashMapUnderRandomOperations() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        StringTable<Integer> table = new StringTable<>();
        Map<String, Integer> model = new HashMap<>();
        for (int step = 0; step < 20_000; step++) {
            String key = "k" + random.nextInt(2_000);
            if (random.nextInt(3) == 0) {
                Node<Integer> removed = table.remove(key);
                Integer expected = model.remove(key);
                assertThat(removed == null ? null : removed.value).as("seed %d step %d", seed, step).isEqualTo(expected);
            } else {
                table.put(key, step);
                model.put(key, step);
            }
            assertThat(table.size()).as("seed %d step %d", seed, step).isEqualTo(model.size());
        }
        for (Map.Entry<String, Integer> entry : model.entrySet()) {
            assertThat(table.find(entry.getKey()).value).isEqualTo(entry.getValue());
        }
    }

    @Test
    void growsPastThreeQuartersFullAndShrinksBelowAnEighth() {
        StringTable<Integer> table = new StringTable<>();
        for (int i = 0; i < 1000; i++) {
            table.put("k" + i, i);
        }
        assertThat(table.bucketCount()).isGreaterThanOrEqualTo(1024).isLessThanOrEqualTo(2048);
        for (int i = 0; i < 990; i++) {
            table.remove("k" + i);
        }
        assertThat(table.bucketCount()).isLessThanOrEqualTo(80);
        assertThat(table.size()).isEqualTo(10);
    }

    // Redis's guarantee: a key present for the whole scan is returned at least once, even when
    // the table doubles or halves between two steps.
    @Test
    void scanReturnsEveryStableKeyAcrossGrowthAndShrinking() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int round = 0; round < 50; round++) {
            StringTable<Integer> table = new StringTable<>();
            Set<String> stable = new HashSet<>();
            for (int i = 0; i < 300; i++) {
                table.put("s" + round + "-" + i, i);
                stable.add("s" + round + "-" + i);
            }
            Set<String> seen = new HashSet<>();
            long cursor = 0;
            int transient_ = 0;
            do {
                cursor = table.scan(cursor, 1 + random.nextInt(20), node -> seen.add(node.key));
                // churn: add many (growth) or remove many transient keys (shrink)
                if (random.nextBoolean()) {
                    for (int i = 0; i < random.nextInt(600); i++) {
                        table.put("t" + transient_++, 0);
                    }
                } else {
                    for (int i = transient_ - 1; i >= 0 && i > transient_ - 700; i--) {
                        table.remove("t" + i);
                    }
                }
            } while (cursor != 0);
            assertThat(seen).as("seed %d round %d", seed, round).containsAll(stable);
        }
    }

    @Test
    void randomReturnsOnlyPresentEntriesAndEventuallyEach() {
        StringTable<Integer> table = new StringTable<>();
        for (int i = 0; i < 20; i++) {
            table.put("k" + i, i);
        }
        SplittableRandom random = new SplittableRandom(7);
        Set<String> picked = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            picked.add(table.random(random).key);
        }
        assertThat(picked).hasSize(20);
        assertThat(new StringTable<Integer>().random(random)).isNull();
    }

    @Test
    void replaceKeepsTheEntryFindable() {
        StringTable<Object> table = new StringTable<>();
        for (int i = 0; i < 40; i++) {
            table.put("k" + i, i);
        }
        Node<Object> old = table.find("k7");
        TimedNode timed = new TimedNode("k7", old.value, 5);
        table.replace(old, timed);
        assertThat(table.find("k7")).isSameAs(timed);
        assertThat(table.size()).isEqualTo(40);
    }

    // 2^15 keys with one String.hashCode: on the fast hash they would make one chain of 32,768
    // (and each insert would walk it); the table switches to the seeded hash instead, and no chain
    // ever grows past the bound.
    @Test
    void aFloodOfCollidingKeysSwitchesToTheSeededHashAndChainsStayShort() {
        List<String> keys = CollidingKeys.strings("", 15, 1 << 15);
        assertThat(keys.stream().mapToInt(String::hashCode).distinct()).hasSize(1);
        StringTable<Integer> table = new StringTable<>();
        for (int i = 0; i < keys.size(); i++) {
            table.put(keys.get(i), i);
            if (i < StringTable.LONG_CHAIN) {
                assertThat(table.seeded()).as("after %d keys", i + 1).isFalse();
            }
            if ((i & 1023) == 0 || i < 64) {
                assertThat(table.longestChain()).as("after %d keys", i + 1).isLessThanOrEqualTo(StringTable.LONG_CHAIN);
            }
        }
        assertThat(table.seeded()).isTrue();
        assertThat(table.longestChain()).isLessThanOrEqualTo(StringTable.LONG_CHAIN);
        assertThat(table.size()).isEqualTo(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            assertThat(table.find(keys.get(i)).value).isEqualTo(i);
            assertThat(table.find(keys.get(i)).hash).isEqualTo(table.hashOf(keys.get(i)));
        }
        for (int i = 0; i < keys.size(); i += 2) {
            assertThat(table.remove(keys.get(i)).value).isEqualTo(i);
        }
        assertThat(table.find(keys.get(0))).isNull();
        assertThat(table.find(keys.get(1)).value).isEqualTo(1);
    }

    // Ordinary keys must never trigger the switch: the seeded hash costs GET a SipHash of the key.
    @Test
    void ordinaryKeysStayOnTheFastHash() {
        StringTable<Integer> table = new StringTable<>();
        for (int i = 0; i < 1 << 17; i++) {
            table.put(String.format("key:%012d", i), i);
        }
        assertThat(table.seeded()).isFalse();
        StringTable<Integer> short_ = new StringTable<>();
        for (int i = 0; i < 1 << 17; i++) {
            short_.put(Integer.toString(i), i);
            short_.put("user:" + i, i);
        }
        assertThat(short_.seeded()).isFalse();
        Random random = new Random(5);
        StringTable<Integer> randomKeys = new StringTable<>();
        for (int i = 0; i < 1 << 17; i++) {
            randomKeys.put(Long.toString(random.nextLong() & Long.MAX_VALUE, 36), i);
        }
        assertThat(randomKeys.seeded()).isFalse();
    }

    // Keys that share the low 7 bits of their hash, spread over a large table at most two to a
    // bucket: halving the table merges them into chains longer than the bound, so the shrink
    // must switch too (inserts alone would never see the long chain).
    @Test
    void aShrinkThatMergesChainsIntoALongOneSwitches() {
        StringTable<Integer> table = new StringTable<>();
        for (int i = 0; i < 3000; i++) {
            table.put("filler" + i, i);
        }
        assertThat(table.bucketCount()).isEqualTo(4096);
        Map<Integer, Integer> perBucket = new HashMap<>();
        List<String> merging = new ArrayList<>();
        for (int i = 0; merging.size() < 40; i++) {
            String key = "m" + i;
            int hash = StringTable.spread(key.hashCode());
            if ((hash & 127) == 0 && perBucket.merge(hash & 4095, 1, Integer::sum) <= 2) {
                merging.add(key);
            }
        }
        merging.forEach(key -> table.put(key, 0));
        assertThat(table.seeded()).isFalse();
        for (int i = 0; i < 3000; i++) {
            table.remove("filler" + i);
        }
        assertThat(table.bucketCount()).isLessThan(4096);
        assertThat(table.seeded()).isTrue();
        assertThat(table.longestChain()).isLessThanOrEqualTo(StringTable.LONG_CHAIN);
        merging.forEach(key -> assertThat(table.find(key)).as(key).isNotNull());
    }

    // A snapshot pauses resizing and so the switch: the chain grows while paused, and the switch
    // happens when resizing resumes.
    @Test
    void theSwitchWaitsForAPauseToEnd() {
        StringTable<Integer> table = new StringTable<>();
        table.pauseResizing(true);
        List<String> keys = CollidingKeys.strings("", 8, 200);
        keys.forEach(key -> table.put(key, 1));
        assertThat(table.seeded()).isFalse();
        assertThat(table.longestChain()).isEqualTo(200);
        table.pauseResizing(false);
        assertThat(table.seeded()).isTrue();
        assertThat(table.longestChain()).isLessThanOrEqualTo(StringTable.LONG_CHAIN);
        keys.forEach(key -> assertThat(table.find(key)).as(key).isNotNull());
    }

    // The model test again, with colliding keys mixed in (so the table switches part way) and
    // enough removals to shrink it; entries are compared after every step, and a full scan at
    // the end returns every key.
    @Test
    void behavesAsAHashMapWithCollidingAndOrdinaryKeys() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<String> colliding = CollidingKeys.strings("", 11, 2048);
        for (int round = 0; round < 4; round++) {
            StringTable<Integer> table = new StringTable<>();
            Map<String, Integer> model = new HashMap<>();
            for (int step = 0; step < 20_000; step++) {
                String key = random.nextInt(3) == 0 ? colliding.get(random.nextInt(colliding.size()))
                        : "k" + random.nextInt(3_000);
                // Removal grows likelier as the run goes on, so the table also shrinks.
                if (random.nextInt(20_000) < step) {
                    Node<Integer> removed = table.remove(key);
                    Integer expected = model.remove(key);
                    assertThat(removed == null ? null : removed.value).as("seed %d step %d", seed, step).isEqualTo(expected);
                } else {
                    table.put(key, step);
                    model.put(key, step);
                }
                assertThat(table.size()).as("seed %d step %d", seed, step).isEqualTo(model.size());
                Node<Integer> found = table.find(key);
                assertThat(found == null ? null : found.value).as("seed %d step %d", seed, step).isEqualTo(model.get(key));
            }
            for (Map.Entry<String, Integer> entry : model.entrySet()) {
                assertThat(table.find(entry.getKey()).value).as("seed %d", seed).isEqualTo(entry.getValue());
            }
            Set<String> scanned = new HashSet<>();
            long cursor = 0;
            do {
                cursor = table.scan(cursor, 10, node -> scanned.add(node.key));
            } while (cursor != 0);
            assertThat(scanned).as("seed %d", seed).isEqualTo(model.keySet());
            assertThat(table.longestChain()).as("seed %d", seed).isLessThanOrEqualTo(StringTable.LONG_CHAIN);
        }
    }

    // A scan begun on the fast hash and continued after the switch restarts under the new hash,
    // so a key present for the whole scan is still returned.
    @Test
    void aScanSpanningTheSwitchReturnsEveryStableKey() {
        for (int round = 0; round < 20; round++) {
            StringTable<Integer> table = new StringTable<>();
            Set<String> stable = new HashSet<>();
            for (int i = 0; i < 500; i++) {
                table.put("s" + i, i);
                stable.add("s" + i);
            }
            Set<String> seen = new HashSet<>();
            long cursor = table.scan(0, 1 + round * 10, node -> seen.add(node.key));
            assertThat(cursor).isNotZero();
            CollidingKeys.strings("", 6, 64).forEach(key -> table.put(key, 0));
            assertThat(table.seeded()).isTrue();
            do {
                cursor = table.scan(cursor, 7, node -> seen.add(node.key));
            } while (cursor != 0);
            assertThat(seen).as("round %d", round).containsAll(stable);
        }
    }

    @Test
    void aCopyOfAFloodedHashStartsOnTheSeededHash() {
        HashValue hash = new HashValue();
        CollidingKeys.strings("", 6, 64).forEach(field -> hash.fields.put(field, new byte[] {1}));
        assertThat(hash.fields.seeded()).isTrue();
        HashValue copy = hash.copy();
        assertThat(copy.fields.seeded()).isTrue();
        assertThat(copy.fields.size()).isEqualTo(64);
        assertThat(copy.fields.longestChain()).isLessThanOrEqualTo(StringTable.LONG_CHAIN);
        assertThat(new HashValue().copy().fields.seeded()).isFalse();
    }
}
