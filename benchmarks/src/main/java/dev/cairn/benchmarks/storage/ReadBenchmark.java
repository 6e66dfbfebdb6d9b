package dev.cairn.benchmarks.storage;

import dev.cairn.common.Durability;
import dev.cairn.storage.Storage;
import dev.cairn.storage.segment.Segment;
import dev.cairn.storage.segment.SegmentFormat;
import dev.cairn.storage.segment.SegmentedFile;
import dev.cairn.storage.segment.SegmentedFileOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * How fast is reading one 100-byte entry by its position with {@link Segment#read(long)} (which
 * checks the length and the CRC and returns the payload in a new buffer), against a plain
 * {@link FileChannel#read(ByteBuffer, long)} of the same 108 frame bytes into a reused direct
 * buffer?
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar 'storage.ReadBenchmark' -f 1 -wi 2 -w 2s -i 4 -r 3s \
 *     -jvmArgs "-Xms1g -Xmx1g -XX:+UseParallelGC"
 * </pre>
 *
 * <p>Set-up appends {@link #ENTRIES} entries to one segment (about 1.7 MB, so the file stays in
 * the page cache: this measures the read path, not the disk) and fixes a shuffled order of their
 * positions; both methods read the same segment file at the same positions in that order.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ReadBenchmark {
    static final int ENTRIES = 16_384;

    /** One segment of entries and a plain channel on the same file; read-only once set up. */
    @State(Scope.Benchmark)
    public static class Data {
        Path root;
        Storage storage;
        SegmentedFile file;
        Segment segment;
        FileChannel channel;
        /** Entry positions in a fixed shuffled order. */
        long[] positions;

        @Setup(Level.Trial)
        public void open() throws IOException {
            root = BenchmarkFiles.newTempDirectory("cairn-read-bench");
            storage = Storage.open(root);
            file = SegmentedFile.open(storage, root.resolve("segments"), SegmentedFileOptions.defaults(".seg")
                    .withDurability(Durability.NONE), 0);
            ByteBuffer payload = BenchmarkFiles.payload();
            positions = new long[ENTRIES];
            for (int i = 0; i < ENTRIES; i++) {
                payload.position(0);
                positions[i] = file.append(payload);
            }
            file.sync();
            Random random = new Random(7);
            for (int i = ENTRIES - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                long swap = positions[i];
                positions[i] = positions[j];
                positions[j] = swap;
            }
            segment = file.active();
            channel = FileChannel.open(segment.path(), StandardOpenOption.READ);
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

    /** Each thread's place in the order and its reusable frame buffer for the baseline. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;
        ByteBuffer frame = ByteBuffer.allocateDirect(SegmentFormat.FRAME_OVERHEAD + BenchmarkFiles.PAYLOAD_BYTES);

        long nextPosition(long[] positions) {
            long position = positions[next];
            next = (next + 1) & (ENTRIES - 1);
            return position;
        }
    }

    /** @return the entry's payload */
    @Benchmark
    public ByteBuffer segmentRead(Data data, Cursor cursor) {
        return data.segment.read(cursor.nextPosition(data.positions));
    }

    /** @return the buffer holding the frame */
    @Benchmark
    public ByteBuffer fileChannelRead(Data data, Cursor cursor) throws IOException {
        long position = cursor.nextPosition(data.positions);
        ByteBuffer frame = cursor.frame.clear();
        while (frame.hasRemaining()) {
            if (data.channel.read(frame, position + frame.position()) < 0) {
                break;
            }
        }
        return frame;
    }
}
