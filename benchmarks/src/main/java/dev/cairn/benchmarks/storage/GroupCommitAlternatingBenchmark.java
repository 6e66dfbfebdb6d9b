package dev.cairn.benchmarks.storage;

import dev.cairn.common.Durability;
import dev.cairn.storage.Storage;
import dev.cairn.storage.segment.SegmentedFile;
import dev.cairn.storage.segment.SegmentedFileOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
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
 * The question of {@link GroupCommitBenchmark} (group commit against one fsync per append, N
 * threads, {@link Durability#ALWAYS}), asked so that a disk whose fsync latency drifts from
 * second to second does not decide the answer: the two take turns, iteration by iteration, in
 * one trial, so each is measured next to the other in time.
 *
 * <pre>
 * for t in 1 4 16; do
 *   java -jar benchmarks/target/benchmarks.jar 'storage.GroupCommitAlternatingBenchmark' -t $t -f 1 -wi 2 -w 2s -i 10 -r 2s \
 *       -jvmArgs "-Xms1g -Xmx1g -XX:+UseParallelGC"
 * done
 * </pre>
 *
 * <p>Even iterations run group commit ({@link SegmentedFile#append} under the writer lock, then
 * {@link SegmentedFile#awaitDurable} outside it), odd ones the baseline
 * ({@link FileChannel#write(ByteBuffer, long)} of the same 108-byte frame and
 * {@link FileChannel#force(boolean) force(false)}, both under the lock). The primary score mixes
 * the two and means nothing; read the secondary counters, reported per iteration:
 * {@code groupCommit} is non-zero only in group-commit iterations, {@code fsyncEachAppend} only
 * in baseline ones. Use an even {@code -i} so both get the same number of iterations; their
 * JMH averages then carry the same factor of one half, and their ratio is the answer.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class GroupCommitAlternatingBenchmark {
    static final long SEGMENT_BYTES = 1L << 30;

    /** Both files, the writer lock, and whose turn it is; shared by every thread. */
    @State(Scope.Benchmark)
    public static class Files {
        final ReentrantLock writerLock = new ReentrantLock();
        Path root;
        Storage storage;
        SegmentedFile file;
        FileChannel channel;
        /** Guarded by {@link #writerLock}. */
        ByteBuffer frame;
        /** Guarded by {@link #writerLock}. */
        long endPosition;
        /** Set before each iteration starts, while no benchmark thread runs. */
        volatile boolean groupCommitTurn;
        int iteration;

        @Setup(Level.Trial)
        public void open() throws IOException {
            root = BenchmarkFiles.newTempDirectory("cairn-group-commit-alt-bench");
            storage = Storage.open(root);
            file = SegmentedFile.open(storage, root.resolve("segments"), SegmentedFileOptions.defaults(".seg")
                    .withDurability(Durability.ALWAYS).withSegmentBytes(SEGMENT_BYTES), 0);
            channel = FileChannel.open(root.resolve("plain.dat"), StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
            frame = BenchmarkFiles.frame();
        }

        @Setup(Level.Iteration)
        public void takeTurn() {
            groupCommitTurn = iteration % 2 == 0;
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

    /** Each thread's payload ({@link SegmentedFile#append} consumes it). */
    @State(Scope.Thread)
    public static class Payload {
        ByteBuffer payload;

        @Setup(Level.Trial)
        public void create() {
            payload = BenchmarkFiles.payload();
        }
    }

    /** Durable appends per second of each kind, this thread; summed over threads by JMH. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Appends {
        public long groupCommit;
        public long fsyncEachAppend;

        @Setup(Level.Iteration)
        public void reset() {
            groupCommit = 0;
            fsyncEachAppend = 0;
        }
    }

    /** @return the written mark made durable, or the position of the baseline's frame */
    @Benchmark
    public long alternating(Files f, Payload p, Appends counts) throws IOException {
        if (f.groupCommitTurn) {
            long mark;
            f.writerLock.lock();
            try {
                p.payload.position(0);
                f.file.append(p.payload);
                mark = f.file.writtenMark();
            } finally {
                f.writerLock.unlock();
            }
            f.file.awaitDurable(mark);
            counts.groupCommit++;
            return mark;
        }
        f.writerLock.lock();
        try {
            ByteBuffer frame = f.frame.clear();
            long position = f.endPosition;
            while (frame.hasRemaining()) {
                f.channel.write(frame, position + frame.position());
            }
            f.endPosition = position + frame.position();
            f.channel.force(false);
            counts.fsyncEachAppend++;
            return position;
        } finally {
            f.writerLock.unlock();
        }
    }
}
