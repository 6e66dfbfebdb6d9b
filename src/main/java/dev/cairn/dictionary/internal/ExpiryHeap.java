package dev.cairn.dictionary.internal;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * A binary min-heap of the keyspace's {@link TimedNode}s ordered by deadline: the sweeper takes
 * expired keys from the top in deadline order, with O(log n) insert, remove and update. Each
 * node records its own index, so removing an arbitrary node needs no search.
 *
 * <p>Invariants: {@code heap[i].heapIndex == i} for every {@code i < size}, and no node's
 * deadline is smaller than its parent's; {@link #deadlineSum} is the sum of the deadlines of
 * the nodes in the heap, so INFO's average time to live costs no walk. A deadline changes only
 * through {@link #reschedule}, which keeps the sum.
 *
 * <p>Not thread-safe; guarded by the dictionary's command lock.
 */
final class ExpiryHeap {
    private TimedNode[] heap = new TimedNode[16];
    private int size;
    /**
     * The sum of the deadlines in the heap as a signed 128-bit number (high and low halves):
     * deadlines reach {@code Long.MAX_VALUE}, so a long would overflow with two of them.
     */
    private long sumHigh;
    private long sumLow;

    int size() {
        return size;
    }

    /** The node with the earliest deadline, or null. */
    TimedNode peek() {
        return size == 0 ? null : heap[0];
    }

    void add(TimedNode node) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = node;
        node.heapIndex = size;
        size++;
        addToSum(node.deadlineMs);
        siftUp(node.heapIndex);
    }

    void remove(TimedNode node) {
        int index = node.heapIndex;
        if (index < 0 || index >= size || heap[index] != node) {
            throw new IllegalStateException("key '" + node.key + "' is not in the expiry heap");
        }
        size--;
        subtractFromSum(node.deadlineMs);
        TimedNode last = heap[size];
        heap[size] = null;
        node.heapIndex = -1;
        if (index < size) {
            heap[index] = last;
            last.heapIndex = index;
            siftDown(index);
            siftUp(last.heapIndex);
        }
        if (heap.length > 64 && size < heap.length / 4) {
            heap = Arrays.copyOf(heap, heap.length / 2);
        }
    }

    /** Gives {@code node}, which is in the heap, a new deadline. */
    void reschedule(TimedNode node, long deadlineMs) {
        subtractFromSum(node.deadlineMs);
        node.deadlineMs = deadlineMs;
        addToSum(deadlineMs);
        siftUp(node.heapIndex);
        siftDown(node.heapIndex);
    }

    void clear() {
        for (int i = 0; i < size; i++) {
            heap[i].heapIndex = -1;
        }
        heap = new TimedNode[16];
        size = 0;
        sumHigh = 0;
        sumLow = 0;
    }

    /** The sum of the deadlines of the nodes in the heap, exact. */
    BigInteger deadlineSum() {
        return BigInteger.valueOf(sumHigh).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(sumLow)));
    }

    private void addToSum(long deadlineMs) {
        long low = sumLow + deadlineMs;
        // The deadline is sign-extended to 128 bits; the carry is that of the unsigned low halves.
        sumHigh += (deadlineMs >> 63) + (Long.compareUnsigned(low, sumLow) < 0 ? 1 : 0);
        sumLow = low;
    }

    private void subtractFromSum(long deadlineMs) {
        long low = sumLow - deadlineMs;
        sumHigh -= (deadlineMs >> 63) + (Long.compareUnsigned(sumLow, deadlineMs) < 0 ? 1 : 0);
        sumLow = low;
    }

    private void siftUp(int index) {
        TimedNode node = heap[index];
        while (index > 0) {
            int parent = (index - 1) >>> 1;
            TimedNode above = heap[parent];
            if (above.deadlineMs <= node.deadlineMs) {
                break;
            }
            heap[index] = above;
            above.heapIndex = index;
            index = parent;
        }
        heap[index] = node;
        node.heapIndex = index;
    }

    private void siftDown(int index) {
        TimedNode node = heap[index];
        int half = size >>> 1;
        while (index < half) {
            int child = 2 * index + 1;
            int right = child + 1;
            if (right < size && heap[right].deadlineMs < heap[child].deadlineMs) {
                child = right;
            }
            if (node.deadlineMs <= heap[child].deadlineMs) {
                break;
            }
            heap[index] = heap[child];
            heap[index].heapIndex = index;
            index = child;
        }
        heap[index] = node;
        node.heapIndex = index;
    }
}
