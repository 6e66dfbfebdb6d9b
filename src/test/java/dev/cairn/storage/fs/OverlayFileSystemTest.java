package dev.cairn.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Changes through the overlay are seen through it and never reach the disk. */
class OverlayFileSystemTest {
    private final OverlayFileSystem fs = new OverlayFileSystem();

    private static String read(StorageFile file, long position, int length) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(length);
        int n = file.read(b, position);
        return new String(b.array(), 0, n, StandardCharsets.US_ASCII);
    }

    @Test
    void writesAndTruncationsStayInMemory(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("a");
        Files.writeString(file, "0123456789");
        FileTime mtime = Files.getLastModifiedTime(file);
        try (StorageFile f = fs.openExisting(file)) {
            f.write(ByteBuffer.wrap("ab".getBytes(StandardCharsets.US_ASCII)), 3);
            assertThat(read(f, 0, 20)).isEqualTo("012ab56789");
            f.truncate(4);
            assertThat(f.size()).isEqualTo(4);
            f.write(ByteBuffer.wrap("Z".getBytes(StandardCharsets.US_ASCII)), 6);
            assertThat(read(f, 0, 20)).isEqualTo("012a\0\0Z");
        }
        assertThat(fs.size(file)).isEqualTo(7);
        assertThat(Files.readString(file)).isEqualTo("0123456789");
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(mtime);
    }

    @Test
    void createDeleteAndRenameChangeOnlyTheOverlaysView(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("old"), "old");
        Files.writeString(dir.resolve("gone"), "gone");
        fs.createDirectories(dir.resolve("sub/deeper"));
        try (StorageFile f = fs.open(dir.resolve("sub/deeper/new"))) {
            f.write(ByteBuffer.wrap("new".getBytes(StandardCharsets.US_ASCII)), 0);
        }
        assertThat(fs.delete(dir.resolve("gone"))).isTrue();
        fs.atomicMove(dir.resolve("old"), dir.resolve("renamed"));

        assertThat(fs.list(dir)).containsExactly(dir.resolve("renamed"), dir.resolve("sub"));
        assertThat(fs.exists(dir.resolve("old"))).isFalse();
        assertThatThrownBy(() -> fs.openExisting(dir.resolve("gone"))).isInstanceOf(NoSuchFileException.class);
        try (StorageFile f = fs.openExisting(dir.resolve("renamed"))) {
            assertThat(read(f, 0, 10)).isEqualTo("old");
        }
        assertThat(fs.isDirectory(dir.resolve("sub/deeper"))).isTrue();
        try (var onDisk = Files.list(dir)) {
            assertThat(onDisk.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("old", "gone");
        }
    }

    @Test
    void theLockFailsWhileAnotherHolderHasItAndIsNotCreatedWhenMissing(@TempDir Path dir) throws Exception {
        Path lockFile = dir.resolve("cairn.lock");
        fs.lock(lockFile).close();
        assertThat(lockFile).doesNotExist();

        Files.writeString(lockFile, "pid 42\n");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock held = channel.lock();
            assertThatThrownBy(() -> fs.lock(lockFile)).isInstanceOf(StorageFileSystem.LockHeldException.class)
                    .hasMessageContaining("pid 42");
            held.release();
        }
        fs.lock(lockFile).close();
        assertThat(Files.readString(lockFile)).isEqualTo("pid 42\n");
    }

    @Test
    void changesListWhatDiffersFromTheDiskAndNothingElse(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("cut"), "0123456789");
        Files.writeString(dir.resolve("same"), "abc");
        Files.writeString(dir.resolve("read"), "abc");
        Files.writeString(dir.resolve("gone"), "abc");
        Files.writeString(dir.resolve("written"), "abc");
        try (StorageFile f = fs.openExisting(dir.resolve("cut"))) {
            f.truncate(4);
        }
        try (StorageFile f = fs.openExisting(dir.resolve("same"))) {
            f.write(ByteBuffer.wrap("abc".getBytes(StandardCharsets.US_ASCII)), 0); // the same bytes again
        }
        try (StorageFile f = fs.openExisting(dir.resolve("read"))) {
            f.read(ByteBuffer.allocate(3), 0);
        }
        try (StorageFile f = fs.openExisting(dir.resolve("written"))) {
            f.write(ByteBuffer.wrap("x".getBytes(StandardCharsets.US_ASCII)), 1);
        }
        fs.delete(dir.resolve("gone"));
        try (StorageFile f = fs.open(dir.resolve("new"))) {
            f.write(ByteBuffer.wrap("n".getBytes(StandardCharsets.US_ASCII)), 0);
        }

        assertThat(fs.changes()).containsExactly(
                new OverlayFileSystem.Change(dir.resolve("cut"), OverlayFileSystem.Change.Kind.TRUNCATED, 10, 4),
                new OverlayFileSystem.Change(dir.resolve("gone"), OverlayFileSystem.Change.Kind.DELETED, 3, -1),
                new OverlayFileSystem.Change(dir.resolve("new"), OverlayFileSystem.Change.Kind.CREATED, -1, 1),
                new OverlayFileSystem.Change(dir.resolve("written"), OverlayFileSystem.Change.Kind.REWRITTEN, 3, 3));
    }
}
