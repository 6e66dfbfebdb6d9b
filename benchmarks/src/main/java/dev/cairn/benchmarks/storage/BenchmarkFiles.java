package dev.cairn.benchmarks.storage;

import dev.cairn.storage.segment.SegmentFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Shared set-up helpers for the storage benchmarks: a temporary directory under
 * {@code java.io.tmpdir}, deleted after the trial, and the fixed-seed payload every benchmark
 * writes. Called from {@code @Setup}/{@code @TearDown} only, never from a measured method.
 */
final class BenchmarkFiles {
    /** Payload size of every entry the storage benchmarks write. */
    static final int PAYLOAD_BYTES = 100;

    private BenchmarkFiles() {
    }

    /** A new, empty directory under {@code java.io.tmpdir} (on this machine: /tmp). */
    static Path newTempDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes {@code root} and everything under it; a missing directory is not an error. */
    static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link #PAYLOAD_BYTES} bytes from a fixed seed, in a heap buffer as a caller would pass them. */
    static ByteBuffer payload() {
        byte[] bytes = new byte[PAYLOAD_BYTES];
        new Random(42).nextBytes(bytes);
        return ByteBuffer.wrap(bytes);
    }

    /**
     * The frame the segmented file writes for {@link #payload()}: 4-byte length, 4-byte CRC32C,
     * then the payload (see {@code SegmentFormat}), in a direct buffer ready to write.
     */
    static ByteBuffer frame() {
        ByteBuffer payload = payload();
        int crc = SegmentFormat.entryCrc(PAYLOAD_BYTES, payload);
        ByteBuffer frame = ByteBuffer.allocateDirect(SegmentFormat.FRAME_OVERHEAD + PAYLOAD_BYTES);
        frame.putInt(PAYLOAD_BYTES).putInt(crc).put(payload).flip();
        return frame;
    }
}
