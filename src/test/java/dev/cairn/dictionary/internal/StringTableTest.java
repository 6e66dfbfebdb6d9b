package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
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
}
