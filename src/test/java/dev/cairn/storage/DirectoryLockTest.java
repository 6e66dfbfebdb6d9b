package dev.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.common.StorageException;
import dev.cairn.storage.fs.MemoryFileSystem;
import dev.cairn.storage.fs.RealFileSystem;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryLockTest {

    @Test
    void secondLockInTheSameProcessFailsAtOnceAndWorksAfterRelease(@TempDir Path dir) {
        RealFileSystem fs = new RealFileSystem();
        DirectoryLock first = DirectoryLock.acquire(fs, dir);
        assertThatThrownBy(() -> DirectoryLock.acquire(fs, dir))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("already in use");
        first.close();
        first.close();
        DirectoryLock.acquire(fs, dir).close();
    }

    @Test
    void memoryFileSystemLocksToo() throws Exception {
        MemoryFileSystem fs = new MemoryFileSystem();
        Path dir = Path.of("/data");
        fs.createDirectories(dir);
        try (DirectoryLock lock = DirectoryLock.acquire(fs, dir)) {
            assertThat(lock.directory()).isEqualTo(dir);
            assertThatThrownBy(() -> DirectoryLock.acquire(fs, dir)).isInstanceOf(StorageException.class);
        }
        DirectoryLock.acquire(fs, dir).close();
    }

    @Test
    void anotherProcessCannotTakeALockWeHold(@TempDir Path dir) throws Exception {
        try (DirectoryLock held = DirectoryLock.acquire(new RealFileSystem(), dir)) {
            assertThat(held.directory()).isEqualTo(dir);
            String childSays = runChild(dir);
            assertThat(childSays).startsWith("refused:").contains("pid " + ProcessHandle.current().pid());
        }
        assertThat(runChild(dir)).isEqualTo("locked");
    }

    private static String runChild(Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                LockProbe.class.getName(), dir.toString())).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            return line;
        }
    }

    /** Child process: tries to lock the directory and says what happened. */
    public static final class LockProbe {
        public static void main(String[] args) {
            try (DirectoryLock lock = DirectoryLock.acquire(new RealFileSystem(), Path.of(args[0]))) {
                System.out.println(lock.directory() == null ? "?" : "locked");
            } catch (StorageException e) {
                System.out.println("refused: " + e.getMessage());
            }
        }
    }
}
