package dev.cairn.benchmarks.dictionary;

import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.internal.LocalDictionary;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * How much slower are the Dictionary's GET and SET than {@code HashMap.get} and {@code put}, with
 * 2^20 (about 1M) keys of 16 bytes holding 100-byte values? Targets: GET at most 2x, SET at most
 * 3x. Each call takes the next key of a fixed random permutation, so both sides miss the CPU
 * caches alike. The Dictionary copies values in and out; the HashMap does not, so the
 * {@code ...Copy} baselines add the same copy to the HashMap, separating the cost of owning the
 * bytes (reading a value's cache lines, allocating) from the cost of the Dictionary itself.
 *
 * <pre>
 * java -XX:+UseParallelGC -Xms4g -Xmx4g -jar benchmarks/target/benchmarks.jar DictionaryStringBenchmark \
 *     -f 1 -wi 3 -w 2s -i 5 -r 2s -jvmArgs "-XX:+UseParallelGC -Xms4g -Xmx4g"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DictionaryStringBenchmark {
    static final int KEYS = 1 << 20;
    static final int VALUE_BYTES = 100;

    private Dictionary dictionary;
    private HashMap<String, byte[]> map;
    private String[] order;
    private byte[] value;
    private int next;

    /** The 16-byte key number {@code i}: "key:" and 12 digits. */
    static String key(int i) {
        return String.format("key:%012d", i);
    }

    static byte[] value(int seed) {
        byte[] bytes = new byte[VALUE_BYTES];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** The keys in a fixed random order. */
    static String[] shuffledKeys() {
        String[] keys = new String[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = key(i);
        }
        Random random = new Random(42);
        for (int i = KEYS - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            String t = keys[i];
            keys[i] = keys[j];
            keys[j] = t;
        }
        return keys;
    }

    @Setup(Level.Trial)
    public void fill() {
        dictionary = new LocalDictionary(InstantSource.system());
        map = new HashMap<>();
        order = shuffledKeys();
        value = value(1);
        for (int i = 0; i < KEYS; i++) {
            String key = key(i);
            byte[] bytes = value(i);
            dictionary.strings().set(key, bytes);
            map.put(key, bytes);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        dictionary.close();
    }

    private String nextKey() {
        String key = order[next];
        next = (next + 1) & (KEYS - 1);
        return key;
    }

    @Benchmark
    public byte[] dictionaryGet() {
        return dictionary.strings().get(nextKey());
    }

    @Benchmark
    public byte[] hashMapGet() {
        return map.get(nextKey());
    }

    @Benchmark
    public byte[] hashMapGetCopy() {
        return map.get(nextKey()).clone();
    }

    @Benchmark
    public String dictionarySet() {
        String key = nextKey();
        dictionary.strings().set(key, value);
        return key;
    }

    @Benchmark
    public byte[] hashMapPut() {
        return map.put(nextKey(), value);
    }

    @Benchmark
    public byte[] hashMapPutCopy() {
        return map.put(nextKey(), value.clone());
    }
}
