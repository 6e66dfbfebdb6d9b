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
 * Does {@link SegmentedFile#append} with {@link Durability#NONE} keep at least 0.8 of the
 * throughput of a plain {@link FileChannel#write(ByteBuffer, long)} loop appending the same
 * 108-byte frames (8 header bytes + 100 payload bytes) at the end of a file?
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar 'storage.AppendBenchmark' -f 1 -wi 2 -w 2s -i 4 -r 3s \
 *     -jvmArgs "-Xms1g -Xmx1g -XX:+UseParallelGC"
 * </pre>
 *
 * <p>Both write real files in a fresh directory under {@code java.io.tmpdir}. Files are bounded
 * the same way on both sides: before every iteration the segmented file is truncated back to its
 * first, empty segment and the baseline file to zero bytes (each then fsynced, outside the
 * measurement). The measured append also checks {@link SegmentedFile#shouldRoll(int)} as an
 * owner does; segments are 1 GiB, more than an iteration writes, and the {@code rolls} counter in
 * the results shows that no roll (which fsyncs) happened inside a measurement.
 *
 * <p>The baseline writes a frame built once in set-up (its CRC computed then), so the ratio
 * charges the segmented file with everything it adds: the CRC, the copy into its frame buffer,
 * its checks and publication. The payload it appends is a heap buffer, as callers pass them.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AppendBenchmark {
    static final long SEGMENT_BYTES = 1L << 30;

    /** A segmented file with {@link Durability#NONE}; single-threaded, so one per thread. */
    @State(Scope.Thread)
    public static class Segmented {
        Path root;
        Storage storage;
        SegmentedFile file;
        ByteBuffer payload;
        /** Entries appended: the base of the next segment, as the log names segments by offset. */
        long entries;

        @Setup(Level.Trial)
        public void open() {
            root = BenchmarkFiles.newTempDirectory("cairn-append-bench");
            storage = Storage.open(root);
            file = SegmentedFile.open(storage, root.resolve("segments"), SegmentedFileOptions.defaults(".seg")
                    .withDurability(Durability.NONE).withSegmentBytes(SEGMENT_BYTES), 0);
            payload = BenchmarkFiles.payload();
        }

        @Setup(Level.Iteration)
        public void reset() {
            file.truncateTo(file.segments().get(0), SegmentFormat.HEADER_SIZE);
        }

        @TearDown(Level.Trial)
        public void close() {
            try {
                file.close();
                storage.close();
            } finally {
                BenchmarkFiles.deleteRecursively(root);
            }
        }
    }

    /** A plain file appended to with positional writes; one per thread. */
    @State(Scope.Thread)
    public static class Plain {
        Path root;
        FileChannel channel;
        ByteBuffer frame;
        long endPosition;

        @Setup(Level.Trial)
        public void open() throws IOException {
            root = BenchmarkFiles.newTempDirectory("cairn-append-bench");
            channel = FileChannel.open(root.resolve("plain.dat"), StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
            frame = BenchmarkFiles.frame();
        }

        @Setup(Level.Iteration)
        public void reset() throws IOException {
            channel.truncate(0);
            channel.force(false);
            endPosition = 0;
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            try {
                channel.close();
            } finally {
                BenchmarkFiles.deleteRecursively(root);
            }
        }
    }

    /** Rolls per iteration: expected 0, since a roll fsyncs and would distort the figure. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class RollCount {
        public long rolls;

        @Setup(Level.Iteration)
        public void reset() {
            rolls = 0;
        }
    }

    @Benchmark
    public long segmentedFileAppend(Segmented s, RollCount counts) {
        SegmentedFile file = s.file;
        if (file.shouldRoll(BenchmarkFiles.PAYLOAD_BYTES)) {
            file.roll(s.entries);
            counts.rolls++;
        }
        s.payload.position(0);
        long position = file.append(s.payload);
        s.entries++;
        return position;
    }

    @Benchmark
    public long fileChannelAppend(Plain p) throws IOException {
        ByteBuffer frame = p.frame.clear();
        long position = p.endPosition;
        while (frame.hasRemaining()) {
            p.channel.write(frame, position + frame.position());
        }
        p.endPosition = position + frame.position();
        return position;
    }
}
