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
 * With {@link Durability#ALWAYS} and N threads appending 100-byte entries, how many durable
 * appends per second does group commit deliver, against one fsync per append? Target: with 16
 * threads, group commit at least 5 times the naive throughput.
 *
 * <pre>
 * for t in 1 4 16; do
 *   java -jar benchmarks/target/benchmarks.jar 'storage.GroupCommitBenchmark' -t $t -f 1 -wi 2 -w 2s -i 4 -r 3s \
 *       -jvmArgs "-Xms1g -Xmx1g -XX:+UseParallelGC"
 * done
 * </pre>
 *
 * <p>Every thread shares one file. A {@link SegmentedFile} has a single writer, so, as the log
 * and the dictionary do, appends are serialized by a lock; what differs is the fsync:
 * <ul>
 *   <li>{@link #groupCommit}: append under the lock, then {@link SegmentedFile#awaitDurable}
 *       outside it, so one fsync covers every append written while the previous one ran;
 *   <li>{@link #fsyncEachAppendFileChannel} (the baseline): {@link FileChannel#write(ByteBuffer, long)}
 *       of the same 108-byte frame then {@link FileChannel#force(boolean) force(false)} (the
 *       fdatasync the storage layer uses), both under the lock: exactly one fsync per append;
 *   <li>{@link #fsyncEachAppendSegmentedFile}: {@link SegmentedFile#append} then
 *       {@link SegmentedFile#sync()} under the lock, also one fsync per append, through the
 *       library's own code path; a check that the baseline is not unfairly slow.
 * </ul>
 * Each file lives in a fresh directory under {@code java.io.tmpdir}. An iteration writes a few
 * megabytes at most, far below the 1 GiB segment size, so no roll happens. After each
 * iteration of the two segmented-file methods a line gives the appends per fsync (from
 * {@link dev.cairn.storage.StorageMetrics#fsyncs()}): the batching group commit achieved, and
 * 1.00 for the one-fsync-per-append method.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class GroupCommitBenchmark {
    static final long SEGMENT_BYTES = 1L << 30;

    /** A segmented file with {@link Durability#ALWAYS} shared by every thread, and its writer lock. */
    @State(Scope.Benchmark)
    public static class Shared {
        final ReentrantLock writerLock = new ReentrantLock();
        Path root;
        Storage storage;
        SegmentedFile file;
        /** Appends since open; guarded by {@link #writerLock} (counted where the lock is held anyway). */
        long appends;
        long appendsAtIterationStart;
        long fsyncsAtIterationStart;

        @Setup(Level.Trial)
        public void open() {
            root = BenchmarkFiles.newTempDirectory("cairn-group-commit-bench");
            storage = Storage.open(root);
            file = SegmentedFile.open(storage, root.resolve("segments"), SegmentedFileOptions.defaults(".seg")
                    .withDurability(Durability.ALWAYS).withSegmentBytes(SEGMENT_BYTES), 0);
        }

        @Setup(Level.Iteration)
        public void startCounting() {
            appendsAtIterationStart = appends;
            fsyncsAtIterationStart = storage.metrics().fsyncs();
        }

        /** Prints how many appends each fsync covered: the batching that group commit achieved. */
        @TearDown(Level.Iteration)
        public void reportBatching() {
            long appended = appends - appendsAtIterationStart;
            long fsyncs = storage.metrics().fsyncs() - fsyncsAtIterationStart;
            System.out.printf("(%d appends, %d fsyncs, %.2f appends per fsync)%n", appended, fsyncs,
                    fsyncs == 0 ? Double.NaN : (double) appended / fsyncs);
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

    /** A plain file shared by every thread, its end position and frame guarded by the lock. */
    @State(Scope.Benchmark)
    public static class Plain {
        final ReentrantLock writerLock = new ReentrantLock();
        Path root;
        FileChannel channel;
        /** Guarded by {@link #writerLock}. */
        ByteBuffer frame;
        /** Guarded by {@link #writerLock}. */
        long endPosition;

        @Setup(Level.Trial)
        public void open() throws IOException {
            root = BenchmarkFiles.newTempDirectory("cairn-group-commit-bench");
            channel = FileChannel.open(root.resolve("plain.dat"), StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
            frame = BenchmarkFiles.frame();
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

    /** Each thread's own payload buffer ({@link SegmentedFile#append} consumes it). */
    @State(Scope.Thread)
    public static class Payload {
        ByteBuffer payload;

        @Setup(Level.Trial)
        public void create() {
            payload = BenchmarkFiles.payload();
        }
    }

    /** @return the written mark made durable */
    @Benchmark
    public long groupCommit(Shared s, Payload p) {
        SegmentedFile file = s.file;
        long mark;
        s.writerLock.lock();
        try {
            p.payload.position(0);
            file.append(p.payload);
            s.appends++;
            mark = file.writtenMark();
        } finally {
            s.writerLock.unlock();
        }
        file.awaitDurable(mark);
        return mark;
    }

    /** @return the position of the appended frame */
    @Benchmark
    public long fsyncEachAppendFileChannel(Plain plain) throws IOException {
        plain.writerLock.lock();
        try {
            ByteBuffer frame = plain.frame.clear();
            long position = plain.endPosition;
            while (frame.hasRemaining()) {
                plain.channel.write(frame, position + frame.position());
            }
            plain.endPosition = position + frame.position();
            plain.channel.force(false);
            return position;
        } finally {
            plain.writerLock.unlock();
        }
    }

    /** @return the position of the appended entry */
    @Benchmark
    public long fsyncEachAppendSegmentedFile(Shared s, Payload p) {
        SegmentedFile file = s.file;
        s.writerLock.lock();
        try {
            p.payload.position(0);
            long position = file.append(p.payload);
            s.appends++;
            file.sync();
            return position;
        } finally {
            s.writerLock.unlock();
        }
    }
}
