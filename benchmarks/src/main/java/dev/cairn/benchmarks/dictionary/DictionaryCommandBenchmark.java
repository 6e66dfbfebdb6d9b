package dev.cairn.benchmarks.dictionary;

import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.internal.LocalDictionary;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.HashMap;
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
 * What do INCR, LPUSH+LPOP and HSET cost on one hot key, against the plain Java structure doing
 * the same work without a lock, copies or type checks ({@code HashMap.merge}, {@code ArrayDeque},
 * a {@code HashMap} of {@code HashMap}s)?
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar DictionaryCommandBenchmark \
 *     -f 1 -wi 3 -w 2s -i 5 -r 2s -jvmArgs "-XX:+UseParallelGC -Xms4g -Xmx4g"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DictionaryCommandBenchmark {
    private static final int FIELDS = 64;

    private Dictionary dictionary;
    private HashMap<String, Long> counters;
    private ArrayDeque<byte[]> deque;
    private HashMap<String, HashMap<String, byte[]>> hashes;
    private byte[] element;
    private String[] fields;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        dictionary = new LocalDictionary(InstantSource.system());
        counters = new HashMap<>();
        deque = new ArrayDeque<>();
        hashes = new HashMap<>();
        element = DictionaryStringBenchmark.value(3);
        fields = new String[FIELDS];
        for (int i = 0; i < FIELDS; i++) {
            fields[i] = "field:" + i;
        }
        // a list that never empties, so LPUSH+LPOP never deletes and recreates the key
        dictionary.lists().rpush("list", element);
        deque.add(element);
    }

    @TearDown(Level.Trial)
    public void close() {
        dictionary.close();
    }

    @Benchmark
    public long dictionaryIncr() {
        return dictionary.strings().incr("counter");
    }

    @Benchmark
    public Long hashMapIncr() {
        return counters.merge("counter", 1L, Long::sum);
    }

    @Benchmark
    public byte[] dictionaryLpushLpop() {
        dictionary.lists().lpush("list", element);
        return dictionary.lists().lpop("list");
    }

    @Benchmark
    public byte[] dequePushPop() {
        deque.addFirst(element);
        return deque.pollFirst();
    }

    @Benchmark
    public boolean dictionaryHset() {
        String field = fields[next];
        next = (next + 1) & (FIELDS - 1);
        return dictionary.hashes().hset("hash", field, element);
    }

    @Benchmark
    public byte[] hashMapHset() {
        String field = fields[next];
        next = (next + 1) & (FIELDS - 1);
        return hashes.computeIfAbsent("hash", k -> new HashMap<>()).put(field, element);
    }
}
