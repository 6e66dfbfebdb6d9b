package dev.cairn.benchmarks.storage;

import dev.cairn.common.Durability;
import dev.cairn.storage.Storage;
import dev.cairn.storage.segment.SegmentFormat;
import dev.cairn.storage.segment.SegmentedFile;
import dev.cairn.storage.segment.SegmentedFileOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * The question of {@link AppendBenchmark} ({@link SegmentedFile#append} with
 * {@link Durability#NONE} against a plain {@link FileChannel#write(ByteBuffer, long)} loop of the
 * same 108-byte frames), asked so that CPU and disk contention drifting from second to second on
 * a shared machine does not decide the answer: the two take turns, iteration by iteration, in
 * one trial.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar 'storage.AppendAlternatingBenchmark' -f 1 -wi 2 -w 2s -i 10 -r 2s \
 *     -jvmArgs "-Xms1g -Xmx1g -XX:+UseParallelGC"
 * </pre>
 *
 * <p>Even iterations append to the segmented file (checking {@link SegmentedFile#shouldRoll(int)}
 * as an owner does), odd ones write the prebuilt frame with the plain channel. Before every
 * iteration both files are cut back (the segmented file to its first, empty segment, the plain
 * file to zero bytes) and fsynced, outside the measurement, so both write fresh files of similar
 * sizes; segments are 1 GiB, more than an iteration writes, so no roll happens. The primary
 * score mixes the two and means nothing; read the secondary counters {@code segmentedFile} and
 * {@code fileChannel}, each non-zero only in its own iterations. Use an even {@code -i}: their
 * JMH averages then carry the same factor of one half, and their ratio is the answer.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AppendAlternatingBenchmark {
    static final long SEGMENT_BYTES = 1L << 30;

    /** Both files and whose turn it is; single-threaded. */
    @State(Scope.Thread)
    public static class Files {
        Path root;
        Storage storage;
        SegmentedFile file;
        ByteBuffer payload;
        long entries;
        FileChannel channel;
        ByteBuffer frame;
        long endPosition;
        boolean segmentedTurn;
        int iteration;

        @Setup(Level.Trial)
        public void open() throws IOException {
            root = BenchmarkFiles.newTempDirectory("cairn-append-alt-bench");
            storage = Storage.open(root);
            file = SegmentedFile.open(storage, root.resolve("segments"), SegmentedFileOptions.defaults(".seg")
                    .withDurability(Durability.NONE).withSegmentBytes(SEGMENT_BYTES), 0);
            payload = BenchmarkFiles.payload();
            channel = FileChannel.open(root.resolve("plain.dat"), StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
            frame = BenchmarkFiles.frame();
        }

        @Setup(Level.Iteration)
        public void takeTurn() throws IOException {
            file.truncateTo(file.segments().get(0), SegmentFormat.HEADER_SIZE);
            channel.truncate(0);
            channel.force(false);
            endPosition = 0;
            segmentedTurn = iteration % 2 == 0;
            iteration++;
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            try {
                channel.close();
                file.close();
                storage.close();
            } finally {
                BenchmarkFiles.deleteRecursively(root);
            }
        }
    }

    /** Appends per second of each kind, and rolls (expected 0). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Appends {
        public long segmentedFile;
        public long fileChannel;
        public long rolls;

        @Setup(Level.Iteration)
        public void reset() {
            segmentedFile = 0;
            fileChannel = 0;
            rolls = 0;
        }
    }

    /** @return the position of the appended entry or frame */
    @Benchmark
    public long alternating(Files f, Appends counts) throws IOException {
        if (f.segmentedTurn) {
            SegmentedFile file = f.file;
            if (file.shouldRoll(BenchmarkFiles.PAYLOAD_BYTES)) {
                file.roll(f.entries);
                counts.rolls++;
            }
            f.payload.position(0);
            long position = file.append(f.payload);
            f.entries++;
            counts.segmentedFile++;
            return position;
        }
        ByteBuffer frame = f.frame.clear();
        long position = f.endPosition;
        while (frame.hasRemaining()) {
            f.channel.write(frame, position + frame.position());
        }
        f.endPosition = position + frame.position();
        counts.fileChannel++;
        return position;
    }
}
