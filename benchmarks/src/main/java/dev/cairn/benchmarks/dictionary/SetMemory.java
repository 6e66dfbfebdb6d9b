package dev.cairn.benchmarks.dictionary;

import dev.cairn.benchmarks.dictionary.SortedSetBenchmark.Entry;
import dev.cairn.dictionary.internal.LocalDictionary;
import java.nio.ByteBuffer;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * How many bytes of heap does one member cost in a set and in a sorted set of 1,000,000
 * members (8-byte members), against the JDK collections a program would otherwise use: a
 * {@code HashSet<ByteBuffer>} for the set, and a {@code TreeMap} of (score, member) plus a
 * {@code HashMap<ByteBuffer, Double>} of scores for the sorted set (order and score lookup, as
 * the sorted set provides)? Retained heap = heap used after full GCs with the data, minus
 * before; the member bytes themselves are counted on both sides.
 *
 * <pre>
 * java -XX:+UseG1GC -Xms4g -Xmx4g -cp benchmarks/target/benchmarks.jar \
 *     dev.cairn.benchmarks.dictionary.SetMemory
 * </pre>
 */
public final class SetMemory {
    private static final int SIZE = 1_000_000;

    private SetMemory() {
    }

    private static byte[] member(long n) {
        return ByteBuffer.allocate(Long.BYTES).putLong(n).array();
    }

    public static void main(String[] args) {
        long base = DictionaryMemory.usedAfterGc();
        HashSet<ByteBuffer> hashSet = new HashSet<>();
        for (int i = 0; i < SIZE; i++) {
            hashSet.add(ByteBuffer.wrap(member(i)));
        }
        double hashSetPer = (DictionaryMemory.usedAfterGc() - base) / (double) SIZE;
        System.out.printf("HashSet<ByteBuffer>: %.1f bytes per member (%d)%n", hashSetPer, hashSet.size());
        hashSet = null;

        base = DictionaryMemory.usedAfterGc();
        LocalDictionary dictionary = new LocalDictionary(InstantSource.system());
        for (int i = 0; i < SIZE; i++) {
            dictionary.sets().sadd("set", member(i));
        }
        double setPer = (DictionaryMemory.usedAfterGc() - base) / (double) SIZE;
        System.out.printf("Dictionary set: %.1f bytes per member (%d); ratio %.2f%n", setPer,
                dictionary.sets().scard("set"), setPer / hashSetPer);
        dictionary.close();
        dictionary = null;

        SplittableRandom random = new SplittableRandom(42);
        base = DictionaryMemory.usedAfterGc();
        TreeMap<Entry, Boolean> tree = new TreeMap<>();
        HashMap<ByteBuffer, Double> scores = new HashMap<>();
        for (int i = 0; i < SIZE; i++) {
            double score = random.nextInt(SIZE);
            byte[] member = member(i);
            tree.put(new Entry(score, member), Boolean.TRUE);
            scores.put(ByteBuffer.wrap(member), score);
        }
        double jdkPer = (DictionaryMemory.usedAfterGc() - base) / (double) SIZE;
        System.out.printf("TreeMap + HashMap: %.1f bytes per member (%d)%n", jdkPer, tree.size());
        tree = null;
        scores = null;

        random = new SplittableRandom(42);
        base = DictionaryMemory.usedAfterGc();
        dictionary = new LocalDictionary(InstantSource.system());
        for (int i = 0; i < SIZE; i++) {
            dictionary.sortedSets().zadd("zset", random.nextInt(SIZE), member(i));
        }
        double zsetPer = (DictionaryMemory.usedAfterGc() - base) / (double) SIZE;
        System.out.printf("Dictionary sorted set: %.1f bytes per member (%d); ratio %.2f%n", zsetPer,
                dictionary.sortedSets().zcard("zset"), zsetPer / jdkPer);
        dictionary.close();
    }
}
