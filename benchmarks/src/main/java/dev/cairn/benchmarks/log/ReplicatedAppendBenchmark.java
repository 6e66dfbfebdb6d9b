package dev.cairn.benchmarks.log;

import dev.cairn.Cairn;
import dev.cairn.common.Durability;
import dev.cairn.log.Acks;
import dev.cairn.log.Log;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.RecordMetadata;
import dev.cairn.log.TopicConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * What does a copy on each of two more storage roots cost one producer appending 100-byte records,
 * against the same appends to a topic with one replica, in the same run: acks LEADER (the leader's
 * write only) and acks ALL (both followers have fetched and stored the records, and the high
 * watermark passed them); one record per append (latency), batches of {@value #BATCH} records per
 * append (as a producer that batches sends them), and those batches from {@value #PRODUCERS}
 * threads at once (as a producer with several requests in flight, whose appends one fetch round
 * replicates together). The roots are directories of one disk here, so ALWAYS measures the three
 * fsyncs sharing it.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar 'log.ReplicatedAppendBenchmark' -f 1 -wi 3 -w 2s -i 5 -r 2s -bm sample
 * </pre>
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ReplicatedAppendBenchmark {
    private static final int RECORD_BYTES = 100;
    static final int BATCH = 100;
    static final int PRODUCERS = 4;

    @Param({"NONE", "ALWAYS"})
    public Durability durability;

    private Path dir;
    private Cairn cairn;
    private Log log;
    private ProducerRecord toOne;
    private ProducerRecord toThree;
    private List<ProducerRecord> batchToOne;
    private List<ProducerRecord> batchToThree;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("cairn-replicated-bench");
        cairn = Cairn.builder().directory(dir.resolve("root0")).replicaRoots(dir.resolve("root1"), dir.resolve("root2"))
                .durability(durability).jmx(false).open();
        log = cairn.log();
        TopicConfig config = TopicConfig.defaults().withSegmentBytes(256L << 20).withMinInsyncReplicas(2);
        log.createTopic("one", config);
        log.createTopic("three", config.withReplicationFactor(3));
        byte[] value = new byte[RECORD_BYTES];
        toOne = new ProducerRecord("one", 0, 1L, null, value, List.of());
        toThree = new ProducerRecord("three", 0, 1L, null, value, List.of());
        batchToOne = java.util.Collections.nCopies(BATCH, toOne);
        batchToThree = java.util.Collections.nCopies(BATCH, toThree);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        cairn.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** The baseline: one replica, so acks ALL is the leader's write. */
    @Benchmark
    public RecordMetadata oneReplica() {
        return log.append(toOne, Acks.ALL);
    }

    @Benchmark
    public RecordMetadata threeReplicasAcksLeader() {
        return log.append(toThree, Acks.LEADER);
    }

    @Benchmark
    public RecordMetadata threeReplicasAcksAll() {
        return log.append(toThree, Acks.ALL);
    }

    /** The baseline of the batches: {@value #BATCH} records per append to one replica. */
    @Benchmark
    public List<RecordMetadata> oneReplicaBatch() {
        return log.append(batchToOne, Acks.ALL);
    }

    @Benchmark
    public List<RecordMetadata> threeReplicasAcksAllBatch() {
        return log.append(batchToThree, Acks.ALL);
    }

    @Benchmark
    @Threads(PRODUCERS)
    public List<RecordMetadata> oneReplicaBatchInFlight() {
        return log.append(batchToOne, Acks.ALL);
    }

    @Benchmark
    @Threads(PRODUCERS)
    public List<RecordMetadata> threeReplicasAcksAllBatchInFlight() {
        return log.append(batchToThree, Acks.ALL);
    }
}
