package dev.cairn.log.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.common.ClosedException;
import dev.cairn.common.Durability;
import dev.cairn.log.Appender;
import dev.cairn.log.ConsumerRecord;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.RecordTooLargeException;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicPartition;
import dev.cairn.log.UnknownTopicException;
import dev.cairn.storage.Storage;
import dev.cairn.storage.fs.MemoryFileSystem;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogAppenderTest {
    private final MemoryFileSystem fs = new MemoryFileSystem();
    private final AtomicLong nowMs = new AtomicLong(7_000);
    private final Storage storage = Storage.open(fs, Path.of("/data"), 1000);
    private DefaultLog log = open(() -> Instant.ofEpochMilli(nowMs.get()));

    private DefaultLog open(InstantSource clock) {
        return DefaultLog.open(storage, storage.root().resolve("log"),
                LogOptions.of(clock, Durability.NONE, false).withMaintenanceIntervalMs(0));
    }

    @AfterEach
    void tearDown() {
        log.close();
        storage.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void appendsWhatLogAppendWouldToTheSamePartitions() {
        log.createTopic("t", TopicConfig.defaults().withPartitions(3));
        Appender appender = log.appender("t");
        assertThat(appender.topic()).isEqualTo("t");
        assertThat(appender.lastPartition()).isEqualTo(-1);
        assertThat(appender.append(2, bytes("k"), bytes("v0"))).isZero();
        assertThat(appender.lastPartition()).isEqualTo(2);
        assertThat(appender.append(2, null, null)).isEqualTo(1);

        for (int i = 0; i < 50; i++) {
            byte[] key = bytes("key-" + i);
            long offset = appender.append(key, bytes("v" + i));
            int partition = new Partitioner().partition(key, 3);
            assertThat(appender.lastPartition()).as("the partition Kafka's partitioner picks").isEqualTo(partition);
            assertThat(log.append(new ProducerRecord("t", null, null, key, bytes("again"), List.of())).partition())
                    .isEqualTo(partition);
            ConsumerRecord stored = log.read(new TopicPartition("t", partition), offset, 1).get(0);
            assertThat(stored.key()).isEqualTo(key);
            assertThat(stored.value()).isEqualTo(bytes("v" + i));
            assertThat(stored.timestampMs()).isEqualTo(7_000);
            assertThat(stored.headers()).isEmpty();
        }
        Set<Integer> unkeyed = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            appender.append(null, bytes("u"));
            unkeyed.add(appender.lastPartition());
        }
        assertThat(unkeyed).as("null keys spread round-robin").containsExactlyInAnyOrder(0, 1, 2);

        List<ConsumerRecord> first = log.read(new TopicPartition("t", 2), 0, 2);
        assertThat(first.get(0).key()).isEqualTo(bytes("k"));
        assertThat(first.get(1).key()).isNull();
        assertThat(first.get(1).value()).as("a tombstone").isNull();
    }

    // An appender's records carry the log clock's time when their batch is written, read once per
    // batch: later than the append began, no later than the first read that could see them. The
    // batch is marked with the topic's timestamp type (CreateTime here).
    @Test
    void recordsCarryTheTimeTheirBatchIsWritten() {
        log.createTopic("t", TopicConfig.defaults());
        TopicPartition tp = new TopicPartition("t", 0);
        Appender appender = log.appender("t");
        appender.append(0, null, bytes("a"));
        nowMs.set(7_500);
        appender.append(0, null, bytes("b"));
        nowMs.set(8_000);
        assertThat(log.endOffset(tp)).as("a read seals the batch, at 8000").isEqualTo(2);
        nowMs.set(9_000);
        appender.append(0, null, bytes("c"));
        nowMs.set(9_500);
        // A record stamped per append does not join a batch stamped at seal: that batch is written
        // first, at 9500, and the record keeps the time it was appended with.
        log.append(new ProducerRecord("t", 0, 9_200L, null, bytes("d"), List.of()));
        nowMs.set(10_000);
        assertThat(log.read(tp, 0, 10)).extracting(ConsumerRecord::timestampMs)
                .containsExactly(8_000L, 8_000L, 9_500L, 9_200L);
        assertThat(log.read(tp, 0, 10)).extracting(ConsumerRecord::timestampType)
                .containsOnly(dev.cairn.log.TimestampType.CREATE_TIME);
        log.close();

        // With ALWAYS each append is its own batch, written before the append returns.
        log = open(() -> Instant.ofEpochMilli(nowMs.get()));
        log.createTopic("sync", TopicConfig.defaults().withDurability(Durability.ALWAYS));
        Appender synced = log.appender("sync");
        synced.append(0, null, bytes("e"));
        nowMs.set(11_000);
        synced.append(0, null, bytes("f"));
        nowMs.set(12_000);
        assertThat(log.read(new TopicPartition("sync", 0), 0, 10)).extracting(ConsumerRecord::timestampMs)
                .containsExactly(10_000L, 11_000L);
    }

    @Test
    void onTheSystemClockARecordsTimeLiesBetweenItsAppendAndTheReadThatSeesIt() {
        log.close();
        log = open(InstantSource.system());
        log.createTopic("t", TopicConfig.defaults());
        TopicPartition tp = new TopicPartition("t", 0);
        Appender appender = log.appender("t");
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            long before = System.currentTimeMillis();
            long offset = appender.append(0, null, bytes("v" + i));
            if (random.nextBoolean()) {
                LockSupport.parkNanos(random.nextInt(2_000_000));
            }
            ConsumerRecord read = log.read(tp, offset, 1).get(0);
            long after = System.currentTimeMillis();
            assertThat(read.timestampMs()).as("record %d", i).isBetween(before, after);
        }
    }

    @Test
    void badInputIsAClearErrorAndWritesNothing() {
        log.createTopic("t", TopicConfig.defaults().withPartitions(2).withMaxRecordBytes(200));
        assertThatThrownBy(() -> log.appender("missing")).isInstanceOf(UnknownTopicException.class);
        Appender appender = log.appender("t");
        assertThatThrownBy(() -> appender.append(2, null, bytes("v")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partitions 0 to 1");
        assertThatThrownBy(() -> appender.append(-1, null, bytes("v"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> appender.append(0, null, new byte[300]))
                .isInstanceOf(RecordTooLargeException.class).hasMessageContaining("maxRecordBytes 200");
        assertThat(log.endOffset(new TopicPartition("t", 0))).isZero();
        assertThat(appender.lastPartition()).isEqualTo(-1);

        log.deleteTopic("t");
        assertThatThrownBy(() -> appender.append(0, null, bytes("v"))).isInstanceOf(UnknownTopicException.class);
        log.close();
        assertThatThrownBy(() -> appender.append(0, null, bytes("v"))).isInstanceOf(ClosedException.class);
    }

    @Test
    void appendersOnManyThreadsShareOnePartitionWithContiguousOffsets() throws Exception {
        log.createTopic("t", TopicConfig.defaults().withSegmentBytes(64 * 1024));
        int threads = 4;
        int each = 2_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    Appender appender = log.appender("t");
                    List<Long> offsets = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        byte[] value = ByteBuffer.allocate(8).putInt(thread).putInt(i).array();
                        offsets.add(appender.append(0, null, value));
                    }
                    return offsets;
                }));
            }
            Set<Long> offsets = new HashSet<>();
            for (int t = 0; t < threads; t++) {
                List<Long> mine = results.get(t).get(1, TimeUnit.MINUTES);
                assertThat(mine).as("one appender's offsets increase").isSorted();
                for (int i = 0; i < each; i++) {
                    long offset = mine.get(i);
                    offsets.add(offset);
                    ByteBuffer value = ByteBuffer.wrap(log.read(new TopicPartition("t", 0), offset, 1).get(0).value());
                    assertThat(value.getInt()).isEqualTo(t);
                    assertThat(value.getInt()).isEqualTo(i);
                }
            }
            assertThat(offsets).hasSize(threads * each);
            assertThat(log.endOffset(new TopicPartition("t", 0))).isEqualTo(threads * each);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anAppendAllocatesNothingOnceWarm(@TempDir Path dir) {
        // On disk: the in-memory file system allocates as its files grow.
        try (Storage disk = Storage.open(dir);
                DefaultLog onDisk = DefaultLog.open(disk, dir.resolve("log"),
                        LogOptions.of(InstantSource.system(), Durability.NONE, false).withMaintenanceIntervalMs(0))) {
            assertAllocatesNothingPerAppend(onDisk);
        }
    }

    private static void assertAllocatesNothingPerAppend(DefaultLog log) {
        log.createTopic("t", TopicConfig.defaults().withSegmentBytes(64L << 20));
        Appender appender = log.appender("t");
        byte[] value = new byte[100];
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        // Rounds long enough for the JIT to compile the path (its escape analysis removes the
        // CRC object of the storage layer); the least of them counts.
        int appends = 100_000;
        long least = Long.MAX_VALUE;
        for (int round = 0; round < 6; round++) {
            long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < appends; i++) {
                appender.append(0, null, value);
            }
            least = Math.min(least, (threads.getThreadAllocatedBytes(thread) - before) / appends);
        }
        // What remains is amortised growth (the offset index's arrays), a few bytes at most; any
        // object per append would be 16 bytes or more.
        assertThat(least).as("bytes allocated per append").isLessThan(8);
    }
}
