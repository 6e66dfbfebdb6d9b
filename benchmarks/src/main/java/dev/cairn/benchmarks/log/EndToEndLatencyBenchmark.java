package dev.cairn.benchmarks.log;

import dev.cairn.Cairn;
import dev.cairn.common.Durability;
import dev.cairn.log.Consumer;
import dev.cairn.log.ConsumerConfig;
import dev.cairn.log.ConsumerRecord;
import dev.cairn.log.Log;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicPartition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * How long from an append until a consumer parked in {@code poll} has the record (and says so)?
 * Baseline: the same hand-off through a {@link LinkedBlockingQueue} to a thread parked in
 * {@code take()}, the cost of waking a parked thread at all.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar 'log.EndToEndLatencyBenchmark' -f 1 -wi 2 -w 1s -i 3 -r 2s -bm sample
 * </pre>
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EndToEndLatencyBenchmark {
    private Path dir;
    private Cairn cairn;
    private Log log;
    private ProducerRecord record;
    private final AtomicLong seen = new AtomicLong(-1);
    private final AtomicLong handedOff = new AtomicLong(-1);
    private final LinkedBlockingQueue<Long> queue = new LinkedBlockingQueue<>();
    private long sent;
    private volatile boolean running;
    private Thread consumerThread;
    private Thread queueThread;

    @Setup(Level.Iteration)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("cairn-e2e-bench");
        cairn = Cairn.builder().directory(dir).durability(Durability.NONE).open();
        log = cairn.log();
        log.createTopic("e2e", TopicConfig.defaults().withSegmentBytes(256L << 20));
        record = new ProducerRecord("e2e", 0, 1L, null, new byte[100], List.of());
        running = true;
        sent = 0;
        seen.set(-1);
        handedOff.set(-1);
        Consumer consumer = log.consumer(ConsumerConfig.standalone());
        consumer.assign(List.of(new TopicPartition("e2e", 0)));
        consumerThread = new Thread(() -> {
            try (consumer) {
                while (running) {
                    for (ConsumerRecord r : consumer.poll(Duration.ofMillis(100))) {
                        seen.set(r.offset());
                    }
                }
            }
        });
        consumerThread.start();
        queueThread = new Thread(() -> {
            try {
                while (running) {
                    Long n = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (n != null) {
                        handedOff.set(n);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        queueThread.start();
    }

    @TearDown(Level.Iteration)
    public void tearDown() throws Exception {
        running = false;
        consumerThread.join();
        queueThread.join();
        cairn.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Append one record, then wait until the parked consumer reports its offset. */
    @Benchmark
    public long appendToConsumerWake() {
        long offset = log.append(record).offset();
        while (seen.get() < offset) {
            Thread.onSpinWait();
        }
        return offset;
    }

    /** Baseline: put a number on a blocking queue, wait until the parked taker reports it. */
    @Benchmark
    public long blockingQueueHandOff() throws InterruptedException {
        long n = sent++;
        queue.put(n);
        while (handedOff.get() < n) {
            Thread.onSpinWait();
        }
        return n;
    }
}
