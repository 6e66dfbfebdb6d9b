package dev.cairn.benchmarks.dictionary;

import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.internal.LocalDictionary;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
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
 * Can a client flood the Dictionary's hash tables? How long do {@value #KEYS} SETs of keys
 * chosen to share one {@code String.hashCode} take, against {@value #KEYS} SETs of ordinary keys
 * of the same length, each batch into an empty Dictionary? The same for SADD of members into one
 * set (members chosen to share one {@code Arrays.hashCode}) and HSET of fields into one hash.
 *
 * <p>Colliding keys are the 2<sup>15</sup> strings of 15 blocks "Aa" or "BB" (all with one
 * hash); ordinary keys are {@code "key:"} and 26 digits, 30 characters like them. Without a
 * defence every colliding insert walks one chain holding all the keys before it, all under the
 * command lock: quadratic. The score is the time of one whole batch (single shot; a fresh
 * Dictionary is made before each and closed after, outside the measurement); the ratio
 * colliding / ordinary is the figure to read.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar HashFloodBenchmark -f 1 -wi 3 -i 5 \
 *     -jvmArgs "-Xms1g -Xmx1g -XX:+UseParallelGC"
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class HashFloodBenchmark {
    static final int BLOCKS = 15;
    static final int KEYS = 1 << BLOCKS;

    private final String[] colliding = new String[KEYS];
    private final String[] ordinary = new String[KEYS];
    private final byte[][] collidingBytes = new byte[KEYS][];
    private final byte[][] ordinaryBytes = new byte[KEYS][];
    private final byte[] value = {'v'};
    private Dictionary dictionary;

    @Setup(Level.Trial)
    public void keys() {
        for (int bits = 0; bits < KEYS; bits++) {
            StringBuilder key = new StringBuilder();
            for (int b = 0; b < BLOCKS; b++) {
                key.append((bits >> b & 1) == 0 ? "Aa" : "BB");
            }
            colliding[bits] = key.toString();
            ordinary[bits] = String.format("key:%026d", bits);
            collidingBytes[bits] = colliding[bits].getBytes(StandardCharsets.US_ASCII);
            ordinaryBytes[bits] = ordinary[bits].getBytes(StandardCharsets.US_ASCII);
        }
    }

    @Setup(Level.Invocation)
    public void open() {
        dictionary = new LocalDictionary(InstantSource.system());
    }

    @TearDown(Level.Invocation)
    public void close() {
        dictionary.close();
    }

    @Benchmark
    public long setCollidingKeys() {
        for (String key : colliding) {
            dictionary.strings().set(key, value);
        }
        return dictionary.keys().dbSize();
    }

    @Benchmark
    public long setOrdinaryKeys() {
        for (String key : ordinary) {
            dictionary.strings().set(key, value);
        }
        return dictionary.keys().dbSize();
    }

    @Benchmark
    public long saddCollidingMembers() {
        long added = 0;
        for (byte[] member : collidingBytes) {
            added += dictionary.sets().sadd("set", member);
        }
        return added;
    }

    @Benchmark
    public long saddOrdinaryMembers() {
        long added = 0;
        for (byte[] member : ordinaryBytes) {
            added += dictionary.sets().sadd("set", member);
        }
        return added;
    }

    @Benchmark
    public long hsetCollidingFields() {
        long added = 0;
        for (String field : colliding) {
            added += dictionary.hashes().hset("hash", field, value) ? 1 : 0;
        }
        return added;
    }

    @Benchmark
    public long hsetOrdinaryFields() {
        long added = 0;
        for (String field : ordinary) {
            added += dictionary.hashes().hset("hash", field, value) ? 1 : 0;
        }
        return added;
    }
}
