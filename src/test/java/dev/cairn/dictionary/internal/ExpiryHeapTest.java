package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ExpiryHeapTest {

    @Test
    void topIsAlwaysTheEarliestDeadlineUnderRandomOperations() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        ExpiryHeap heap = new ExpiryHeap();
        List<TimedNode> live = new ArrayList<>();
        for (int step = 0; step < 5000; step++) {
            int op = random.nextInt(4);
            if (op == 0 || live.isEmpty()) {
                TimedNode node = new TimedNode("k" + step, null, random.nextLong());
                heap.add(node);
                live.add(node);
            } else if (op == 1) {
                TimedNode node = live.remove(random.nextInt(live.size()));
                heap.remove(node);
                assertThat(node.heapIndex).isEqualTo(-1);
            } else if (op == 2) {
                TimedNode node = live.get(random.nextInt(live.size()));
                heap.reschedule(node, random.nextBoolean() ? random.nextLong() : Long.MAX_VALUE);
            } else {
                TimedNode top = heap.peek();
                long min = live.stream().mapToLong(n -> n.deadlineMs).min().orElseThrow();
                assertThat(top.deadlineMs).as("seed %d step %d", seed, step).isEqualTo(min);
            }
            assertThat(heap.size()).isEqualTo(live.size());
            BigInteger sum = live.stream().map(n -> BigInteger.valueOf(n.deadlineMs)).reduce(BigInteger.ZERO,
                    BigInteger::add);
            assertThat(heap.deadlineSum()).as("seed %d step %d", seed, step).isEqualTo(sum);
        }
    }

    @Test
    void deadlineSumIsExactAtTheEndsOfTheRange() {
        ExpiryHeap heap = new ExpiryHeap();
        TimedNode max1 = new TimedNode("a", null, Long.MAX_VALUE);
        TimedNode max2 = new TimedNode("b", null, Long.MAX_VALUE);
        TimedNode min = new TimedNode("c", null, Long.MIN_VALUE);
        heap.add(max1);
        heap.add(max2);
        assertThat(heap.deadlineSum()).isEqualTo(BigInteger.valueOf(Long.MAX_VALUE).shiftLeft(1));
        heap.add(min);
        assertThat(heap.deadlineSum()).isEqualTo(BigInteger.valueOf(Long.MAX_VALUE - 1));
        heap.remove(max1);
        heap.reschedule(max2, Long.MIN_VALUE);
        assertThat(heap.deadlineSum()).isEqualTo(BigInteger.valueOf(Long.MIN_VALUE).shiftLeft(1));
        heap.clear();
        assertThat(heap.deadlineSum()).isZero();
    }

    @Test
    void extremeDeadlinesOrderCorrectly() {
        ExpiryHeap heap = new ExpiryHeap();
        TreeMap<Long, TimedNode> byDeadline = new TreeMap<>();
        for (long deadline : new long[] {Long.MAX_VALUE, 0, Long.MIN_VALUE, -1, 1, Long.MAX_VALUE - 1}) {
            TimedNode node = new TimedNode("k" + deadline, null, deadline);
            heap.add(node);
            byDeadline.put(deadline, node);
        }
        for (TimedNode expected : byDeadline.values()) {
            assertThat(heap.peek()).isSameAs(expected);
            heap.remove(expected);
        }
        assertThat(heap.peek()).isNull();
    }
}
