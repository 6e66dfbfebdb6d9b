package dev.cairn.log.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.testing.ChildJvm;
import dev.cairn.common.Durability;
import dev.cairn.log.ConsumerRecord;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.RecordMetadata;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicExistsException;
import dev.cairn.log.TopicPartition;
import dev.cairn.storage.Storage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario: a child JVM appends with ALWAYS and prints each acknowledged (partition, offset, id);
 * the parent kills it at a random moment, reopens the directory, and checks that every
 * acknowledged record is there at its offset, intact and in order. Each child continues the ids
 * where the previous ones stopped, so one directory sees every kill.
 */
class LogCrashTest {
    private static final int KILLS = Integer.getInteger("cairn.crash.kills", 50);
    private static final int PARTITIONS = 2;

    @TempDir
    Path dir;

    /** The child: appends records of growing ids forever, printing "partition offset id" after each ack. */
    public static void main(String[] args) {
        Path root = Path.of(args[0]);
        long firstId = Long.parseLong(args[1]);
        Storage storage = Storage.open(root);
        DefaultLog log = DefaultLog.open(storage, root.resolve("log"),
                LogOptions.of(InstantSource.system(), Durability.ALWAYS, false).withMaintenanceIntervalMs(0));
        try {
            log.createTopic("crash", TopicConfig.defaults().withPartitions(PARTITIONS).withSegmentBytes(16 * 1024)
                    .withIndexIntervalBytes(256));
        } catch (TopicExistsException exists) {
            // Earlier children created it.
        }
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        out.println("ready");
        out.flush();
        // Four producer threads share fsyncs (group commit), so acknowledgements come quickly.
        java.util.concurrent.atomic.AtomicLong ids = new java.util.concurrent.atomic.AtomicLong(firstId);
        Runnable producer = () -> {
            Random random = new Random();
            while (true) {
                long id = ids.getAndIncrement();
                byte[] value = value(id, random.nextInt(200));
                RecordMetadata at = log.append(new ProducerRecord("crash", (int) (id % PARTITIONS), null,
                        ByteBuffer.allocate(8).putLong(id).array(), value, List.of()));
                synchronized (out) {
                    out.println(at.partition() + " " + at.offset() + " " + id);
                    out.flush();
                }
            }
        };
        for (int t = 0; t < 3; t++) {
            new Thread(producer).start();
        }
        producer.run();
    }

    static byte[] value(long id, int length) {
        byte[] value = new byte[length + 8];
        ByteBuffer.wrap(value).putLong(id);
        for (int i = 8; i < value.length; i++) {
            value[i] = (byte) (id * 31 + i);
        }
        return value;
    }

    @Test
    void acknowledgedRecordsSurviveKills() throws Exception {
        Random random = new Random();
        Map<Long, long[]> acknowledged = new HashMap<>();
        long nextId = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            Process child = ChildJvm.of(LogCrashTest.class, dir.resolve("data").toString(), Long.toString(nextId))
                    .start();
            // Kill at a random moment: after the child has acknowledged a random number of bytes' worth of lines.
            long killAtBytes = "ready\n".length() + random.nextInt(600);
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            InputStream out = child.getInputStream();
            int b;
            while (output.size() < killAtBytes && (b = out.read()) >= 0) {
                output.write(b);
            }
            assertThat(child.isAlive()).as("child %d still running at the kill", kill).isTrue();
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            // Acknowledgements printed but not yet read are not checked: destroy closes the pipe.
            long lastId = nextId - 1;
            // Every complete line is an acknowledged append; a torn last line is not.
            String text = output.toString(StandardCharsets.UTF_8);
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length - 1; i++) {
                String[] f = lines[i].split(" ");
                if (f.length == 3) {
                    long id = Long.parseLong(f[2]);
                    acknowledged.put(id, new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])});
                    lastId = Math.max(lastId, id);
                }
            }
            nextId = lastId + 1_000_000; // ids of records appended but never acknowledged are not reused
            verify(acknowledged, kill);
        }
        assertThat(acknowledged).isNotEmpty();
    }

    private void verify(Map<Long, long[]> acknowledged, int kill) {
        Path data = dir.resolve("data");
        try (Storage storage = Storage.open(data);
                DefaultLog log = DefaultLog.open(storage, data.resolve("log"),
                        LogOptions.of(InstantSource.system(), Durability.ALWAYS, false).withMaintenanceIntervalMs(0))) {
            for (int p = 0; p < PARTITIONS; p++) {
                TopicPartition tp = new TopicPartition("crash", p);
                long end = log.endOffset(tp);
                long expectedOffset = 0;
                Map<Long, Long> idAtOffset = new HashMap<>();
                for (long offset = 0; offset < end; ) {
                    List<ConsumerRecord> records = log.read(tp, offset, 1000);
                    for (ConsumerRecord r : records) {
                        assertThat(r.offset()).as("kill %d: contiguous offsets", kill).isEqualTo(expectedOffset++);
                        long id = ByteBuffer.wrap(r.key()).getLong();
                        assertThat(r.value()).as("kill %d: record %d intact", kill, id)
                                .isEqualTo(value(id, r.value().length - 8));
                        idAtOffset.put(r.offset(), id);
                    }
                    offset += records.size();
                }
                for (Map.Entry<Long, long[]> e : acknowledged.entrySet()) {
                    if (e.getValue()[0] == p) {
                        assertThat(idAtOffset.get(e.getValue()[1])).as("kill %d: acknowledged id %d at %s-%d", kill,
                                e.getKey(), tp, e.getValue()[1]).isEqualTo(e.getKey());
                    }
                }
            }
        }
    }
}
