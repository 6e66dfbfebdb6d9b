package dev.cairn.benchmarks.dictionary;

import dev.cairn.dictionary.internal.LocalDictionary;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.InstantSource;
import java.util.HashMap;

/**
 * How many bytes of heap does the Dictionary retain per key for 2^20 keys of 16 bytes with
 * 100-byte values, against a {@code HashMap<String, byte[]>} of the same data? (Redis's
 * {@code used_memory} for the same data is measured separately; see docs/benchmarks.md.)
 * Retained heap = heap used after full GCs with the data, minus before.
 *
 * <pre>
 * java -XX:+UseParallelGC -Xms4g -Xmx4g -cp benchmarks/target/benchmarks.jar \
 *     dev.cairn.benchmarks.dictionary.DictionaryMemory
 * </pre>
 */
public final class DictionaryMemory {
    private DictionaryMemory() {
    }

    static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    public static void main(String[] args) {
        int keys = DictionaryStringBenchmark.KEYS;
        long base = usedAfterGc();
        HashMap<String, byte[]> map = new HashMap<>();
        for (int i = 0; i < keys; i++) {
            map.put(DictionaryStringBenchmark.key(i), DictionaryStringBenchmark.value(i));
        }
        long withMap = usedAfterGc();
        double mapPerKey = (withMap - base) / (double) keys;
        System.out.printf("HashMap<String, byte[]>: %.1f bytes per key (%d keys)%n", mapPerKey, map.size());
        map = null;

        base = usedAfterGc();
        LocalDictionary dictionary = new LocalDictionary(InstantSource.system());
        for (int i = 0; i < keys; i++) {
            dictionary.strings().set(DictionaryStringBenchmark.key(i), DictionaryStringBenchmark.value(i));
        }
        long withDictionary = usedAfterGc();
        double dictionaryPerKey = (withDictionary - base) / (double) keys;
        System.out.printf("Dictionary: %.1f bytes per key (%d keys)%n", dictionaryPerKey, dictionary.keys().dbSize());
        System.out.printf("Dictionary / HashMap: %.2f%n", dictionaryPerKey / mapPerKey);
        dictionary.close();
    }
}
