package dev.cairn.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RealFileSystemTest {
    private final RealFileSystem fs = new RealFileSystem();

    @Test
    void anInterruptedCallerDoesNotBreakTheFileForOthers(@TempDir Path dir) throws Exception {
        // Scenario: FileChannel closes itself when an interrupted thread does I/O on it; the file
        // must keep working for that thread (its interrupt flag preserved) and for everyone else.
        try (StorageFile file = fs.open(dir.resolve("f"))) {
            file.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 0);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
            Thread interrupted = new Thread(() -> {
                Thread.currentThread().interrupt();
                try {
                    file.write(ByteBuffer.wrap(new byte[] {4}), 3);
                    file.force();
                } catch (IOException | RuntimeException e) {
                    failure.set(e);
                }
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            });
            interrupted.start();
            interrupted.join();
            assertThat(failure.get()).isNull();
            assertThat(stillInterrupted.get()).isTrue();
            file.write(ByteBuffer.wrap(new byte[] {5}), 4);
            ByteBuffer all = ByteBuffer.allocate(5);
            assertThat(file.read(all, 0)).isEqualTo(5);
            assertThat(all.array()).containsExactly(1, 2, 3, 4, 5);
        }
    }

    @Test
    void listIsSortedAndEmptyForAMissingDirectory(@TempDir Path dir) throws IOException {
        fs.open(dir.resolve("b")).close();
        fs.open(dir.resolve("a")).close();
        assertThat(fs.list(dir)).containsExactly(dir.resolve("a"), dir.resolve("b"));
        assertThat(fs.list(dir.resolve("missing"))).isEmpty();
    }

    @Test
    void atomicMoveReplacesTheTarget(@TempDir Path dir) throws IOException {
        try (StorageFile a = fs.open(dir.resolve("a"))) {
            a.write(ByteBuffer.wrap(new byte[] {7}), 0);
        }
        fs.open(dir.resolve("b")).close();
        fs.atomicMove(dir.resolve("a"), dir.resolve("b"));
        fs.syncDirectory(dir);
        assertThat(fs.exists(dir.resolve("a"))).isFalse();
        assertThat(fs.size(dir.resolve("b"))).isEqualTo(1);
    }
}
