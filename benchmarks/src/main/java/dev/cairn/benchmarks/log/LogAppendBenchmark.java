package dev.cairn.benchmarks.log;

import dev.cairn.Cairn;
import dev.cairn.common.Durability;
import dev.cairn.log.Appender;
import dev.cairn.log.Consumer;
import dev.cairn.log.ConsumerConfig;
import dev.cairn.log.ConsumerRecord;
import dev.cairn.log.Log;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.RecordHandler;
import dev.cairn.log.RecordMetadata;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicPartition;
import dev.cairn.storage.Storage;
import dev.cairn.storage.segment.SegmentedFile;
import dev.cairn.storage.segment.SegmentedFileOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * How fast does one producer append 100-byte records to a Cairn partition (durability NONE), and
 * how fast does a consumer read the tail, against (a) the storage layer's raw
 * {@code SegmentedFile.append} of the same batch bytes and (b) Chronicle Queue writing and reading
 * the same 100 bytes?
 *
 * <pre>
 * java --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED \
 *   --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
 *   --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED --add-exports=java.base/sun.nio.ch=ALL-UNNAMED \
 *   --add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED \
 *   --add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
 *   --add-opens=java.base/java.util=ALL-UNNAMED \
 *   -jar benchmarks/target/benchmarks.jar 'log.LogAppendBenchmark' -f 1 -wi 2 -w 1s -i 3 -r 2s -bm sample
 * </pre>
 * (the same flags go to the forked JVM through {@code -jvmArgsAppend}; Chronicle needs them on Java 17).
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LogAppendBenchmark {
    private static final int RECORD_BYTES = 100;
    private static final int TAIL_RECORDS = 200_000;

    private Path dir;
    private Cairn cairn;
    private Log log;
    private ProducerRecord record;
    private Appender logAppender;
    private Storage rawStorage;
    private SegmentedFile raw;
    private ByteBuffer rawBatch;
    private ChronicleQueue queue;
    private ExcerptAppender appender;
    private byte[] value;

    private Consumer consumer;
    private Consumer trustingConsumer;
    private ChronicleQueue tailQueue;
    private ExcerptTailer tailer;
    private final net.openhft.chronicle.bytes.Bytes<?> readBuffer =
            net.openhft.chronicle.bytes.Bytes.allocateElasticDirect(256);

    private final ByteBuffer valueCopy = ByteBuffer.allocateDirect(256);
    private final RecordHandler copyValue = record -> valueCopy.clear().put(record.value());

    @Setup(Level.Iteration)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("cairn-log-bench");
        value = new byte[RECORD_BYTES];
        cairn = Cairn.builder().directory(dir.resolve("cairn")).durability(Durability.NONE).open();
        log = cairn.log();
        log.createTopic("bench", TopicConfig.defaults().withSegmentBytes(256L << 20).withMaxRecordBytes(1 << 20));
        record = new ProducerRecord("bench", 0, 1L, null, value, List.of());
        logAppender = log.appender("bench");
        rawStorage = Storage.open(dir.resolve("raw"));
        raw = SegmentedFile.open(rawStorage, rawStorage.root().resolve("seg"),
                SegmentedFileOptions.defaults(".log").withSegmentBytes(256L << 20).withDurability(Durability.NONE), 0);
        // The bytes of a Cairn batch holding one 100-byte record (36 header + 106 record), as an
        // ALWAYS append stores it; other appends share a batch, so Cairn then stores less per record.
        rawBatch = ByteBuffer.allocate(36 + 6 + RECORD_BYTES);
        queue = ChronicleQueue.singleBuilder(dir.resolve("chronicle")).build();
        appender = queue.acquireAppender();

        // Tail-read inputs: the same records already appended to both.
        log.createTopic("tail", TopicConfig.defaults().withSegmentBytes(256L << 20));
        for (int i = 0; i < TAIL_RECORDS; i += 1000) {
            List<ProducerRecord> batch = new java.util.ArrayList<>(1000);
            for (int j = 0; j < 1000; j++) {
                batch.add(new ProducerRecord("tail", 0, 1L, null, value, List.of()));
            }
            log.append(batch);
        }
        consumer = log.consumer(ConsumerConfig.standalone().withMaxPollRecords(500));
        consumer.assign(List.of(new TopicPartition("tail", 0)));
        trustingConsumer = log.consumer(ConsumerConfig.standalone().withMaxPollRecords(500).withCheckCrcs(false));
        trustingConsumer.assign(List.of(new TopicPartition("tail", 0)));
        tailQueue = ChronicleQueue.singleBuilder(dir.resolve("chronicle-tail")).build();
        ExcerptAppender tailAppender = tailQueue.acquireAppender();
        for (int i = 0; i < TAIL_RECORDS; i++) {
            tailAppender.writeBytes(b -> b.write(value));
        }
        tailer = tailQueue.createTailer();
    }

    @TearDown(Level.Iteration)
    public void tearDown() throws IOException {
        consumer.close();
        trustingConsumer.close();
        cairn.close();
        raw.close();
        rawStorage.close();
        queue.close();
        tailQueue.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** One record through the public API: route, encode into the open batch, publish (a full batch is written and indexed). */
    @Benchmark
    public RecordMetadata cairnAppend() {
        return log.append(record);
    }

    /** The same record through an {@link Appender}: no {@code RecordMetadata}, nothing allocated. */
    @Benchmark
    public long cairnAppender() {
        return logAppender.append(0, null, value);
    }

    /** Baseline: the storage layer writing a one-record batch's bytes per call (frame + CRC, no encoding, no index). */
    @Benchmark
    public long rawSegmentedFileAppend() {
        if (raw.shouldRoll(rawBatch.capacity())) {
            raw.roll(raw.active().base() + raw.active().size());
        }
        return raw.append(rawBatch.clear());
    }

    /** Comparison: Chronicle Queue appending the same 100 value bytes. */
    @Benchmark
    public int chronicleAppend() {
        appender.writeBytes(b -> b.write(value));
        return RECORD_BYTES;
    }

    /** A consumer reading the next record of a backlog (poll batches of up to 500, per-record cost reported by ops). */
    @Benchmark
    public int cairnTailRead() {
        List<ConsumerRecord> records = consumer.poll(Duration.ZERO);
        if (records.isEmpty()) {
            consumer.seekToBeginning(List.of(new TopicPartition("tail", 0)));
            records = consumer.poll(Duration.ZERO);
        }
        return records.size();
    }

    /**
     * The same poll through a {@link RecordHandler}: records handed over as views of the batch,
     * each value copied into a reused buffer as the Chronicle tailer below copies it.
     */
    @Benchmark
    public int cairnTailReadHandler() {
        return pollCopyingValues(consumer);
    }

    /**
     * The handler poll of a consumer that skips the CRC check ({@code checkCrcs} false, Kafka's
     * {@code check.crcs=false}): the same work as the Chronicle tailer, which checks no checksum.
     */
    @Benchmark
    public int cairnTailReadHandlerNoCrc() {
        return pollCopyingValues(trustingConsumer);
    }

    /** One handler poll of the backlog, starting over at its end. */
    private int pollCopyingValues(Consumer reader) {
        int n = reader.poll(Duration.ZERO, copyValue);
        if (n == 0) {
            reader.seekToBeginning(List.of(new TopicPartition("tail", 0)));
            n = reader.poll(Duration.ZERO, copyValue);
        }
        return n;
    }

    /** Comparison: Chronicle tailer reading 500 records, the size of one Cairn poll. */
    @Benchmark
    public int chronicleTailRead() {
        int n = 0;
        for (; n < 500; n++) {
            readBuffer.clear();
            if (!tailer.readBytes(readBuffer)) {
                tailer.toStart();
                break;
            }
        }
        return n;
    }
}
