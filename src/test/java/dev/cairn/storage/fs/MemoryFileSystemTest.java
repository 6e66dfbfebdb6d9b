package dev.cairn.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MemoryFileSystemTest {
    private final MemoryFileSystem fs = new MemoryFileSystem();
    private final Path dir = Path.of("/d");

    private void write(StorageFile f, String s, long position) throws IOException {
        f.write(ByteBuffer.wrap(s.getBytes()), position);
    }

    private String read(Path file) throws IOException {
        return new String(fs.contents(file));
    }

    @Test
    void readsWhatWasWrittenAndListsSorted() throws IOException {
        fs.createDirectories(dir);
        try (StorageFile b = fs.open(dir.resolve("b")); StorageFile a = fs.open(dir.resolve("a"))) {
            write(b, "hello", 0);
            write(b, "!", 7);
            assertThat(b.size()).isEqualTo(8);
            ByteBuffer target = ByteBuffer.allocate(20);
            assertThat(b.read(target, 0)).isEqualTo(8);
            assertThat(a.read(ByteBuffer.allocate(1), 0)).isZero();
        }
        assertThat(fs.list(dir)).containsExactly(dir.resolve("a"), dir.resolve("b"));
        assertThat(fs.contents(dir.resolve("b"))).containsExactly('h', 'e', 'l', 'l', 'o', 0, 0, '!');
    }

    @Test
    void aDeletedDirectoryLeavesNothingBehindInTheDurableView() throws IOException {
        Path topic = dir.resolve("topic-0");
        fs.createDirectories(topic);
        try (StorageFile f = fs.open(topic.resolve("0.log"))) {
            write(f, "records", 0);
            f.force();
        }
        fs.syncDirectory(topic);
        fs.delete(topic.resolve("0.log"));
        fs.delete(topic);
        fs.crash(null);
        // Before: the file's durable entry outlived its directory (and held its bytes) and a
        // crash brought it back into a directory that no longer exists.
        assertThat(fs.exists(topic.resolve("0.log"))).isFalse();
        assertThat(fs.list(dir)).isEmpty();
    }

    @Test
    void crashKeepsOnlyForcedBytesOfFilesInSyncedDirectories() throws IOException {
        fs.createDirectories(dir);
        Path synced = dir.resolve("synced");
        Path unsyncedName = dir.resolve("unsynced-name");
        try (StorageFile f = fs.open(synced)) {
            write(f, "durable", 0);
            f.force();
            write(f, "-lost", 7);
        }
        fs.syncDirectory(dir);
        try (StorageFile f = fs.open(unsyncedName)) {
            write(f, "data", 0);
            f.force();
        }
        fs.crash(null);
        assertThat(read(synced)).isEqualTo("durable");
        assertThat(fs.exists(unsyncedName)).isFalse();
    }

    @Test
    void crashUndoesUnsyncedRenamesAndDeletesAndOverwrites() throws IOException {
        fs.createDirectories(dir);
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        try (StorageFile f = fs.open(a)) {
            write(f, "AAAA", 0);
            f.force();
        }
        fs.syncDirectory(dir);
        fs.atomicMove(a, b);
        try (StorageFile f = fs.open(b)) {
            write(f, "ZZ", 1);
        }
        fs.crash(new Random(1));
        assertThat(fs.exists(a)).isTrue();
        assertThat(fs.exists(b)).isFalse();
        assertThat(read(a)).isEqualTo("AAAA");
    }

    @Test
    void tornWriteBackKeepsARandomPrefixOfUnsyncedAppends() throws IOException {
        fs.createDirectories(dir);
        Path file = dir.resolve("f");
        for (int seed = 0; seed < 20; seed++) {
            try (StorageFile f = fs.open(file)) {
                f.truncate(0);
                write(f, "base", 0);
                f.force();
                write(f, "appended", 4);
            }
            fs.syncDirectory(dir);
            fs.crash(new Random(seed));
            assertThat("baseappended").startsWith(read(file));
            assertThat(read(file)).startsWith("base");
        }
    }

    @Test
    void handlesDieWithTheCrashAndLocksAreFreed() throws IOException {
        fs.createDirectories(dir);
        StorageFile f = fs.open(dir.resolve("f"));
        fs.lock(dir.resolve("lock"));
        fs.crash(null);
        assertThatThrownBy(() -> f.size()).isInstanceOf(IOException.class).hasMessageContaining("crash");
        fs.lock(dir.resolve("lock")).close();
    }

    @Test
    void missingFilesAndParentsAreErrors() {
        assertThatThrownBy(() -> fs.openExisting(dir.resolve("x"))).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> fs.open(Path.of("/nowhere/x"))).isInstanceOf(NoSuchFileException.class);
    }
}
