package dev.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.common.CorruptFileException;
import dev.cairn.storage.fs.FaultInjectingFileSystem;
import dev.cairn.storage.fs.MemoryFileSystem;
import dev.cairn.storage.fs.RealFileSystem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    private static final int MAGIC = 0x54455354; // "TEST"
    private static final Path DIR = Path.of("/data");
    private static final Path FILE = DIR.resolve("checkpoint");

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static String text(Optional<ByteBuffer> b) {
        ByteBuffer buffer = b.orElseThrow();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private static MemoryFileSystem fsWithDir() throws IOException {
        MemoryFileSystem fs = new MemoryFileSystem();
        fs.createDirectories(DIR);
        return fs;
    }

    @Test
    void writesAndReadsBackAndReplaces() throws IOException {
        MemoryFileSystem fs = fsWithDir();
        assertThat(AtomicFile.read(fs, FILE, MAGIC, (short) 1)).isEmpty();
        AtomicFile.write(fs, FILE, MAGIC, (short) 1, text("first"));
        assertThat(text(AtomicFile.read(fs, FILE, MAGIC, (short) 1))).isEqualTo("first");
        AtomicFile.write(fs, FILE, MAGIC, (short) 1, text("second, longer"));
        assertThat(text(AtomicFile.read(fs, FILE, MAGIC, (short) 1))).isEqualTo("second, longer");
        assertThat(fs.exists(FILE.resolveSibling("checkpoint" + AtomicFile.TEMP_SUFFIX))).isFalse();
    }

    @Test
    void bitFlipInEveryByteIsDetected() throws IOException {
        MemoryFileSystem fs = fsWithDir();
        AtomicFile.write(fs, FILE, MAGIC, (short) 1, text("offsets: 1 2 3 4 5"));
        FaultInjectingFileSystem faults = new FaultInjectingFileSystem(fs);
        long size = fs.size(FILE);
        for (long position = 0; position < size; position++) {
            for (int bit = 0; bit < 8; bit++) {
                faults.flipBit(FILE, position, bit);
                long at = position;
                assertThatThrownBy(() -> AtomicFile.read(fs, FILE, MAGIC, (short) 1))
                        .as("flip at %d bit %d", at, bit)
                        .isInstanceOf(CorruptFileException.class)
                        .hasMessageContaining(FILE.toString());
                faults.flipBit(FILE, position, bit);
            }
        }
        assertThat(text(AtomicFile.read(fs, FILE, MAGIC, (short) 1))).isEqualTo("offsets: 1 2 3 4 5");
    }

    @Test
    void newerVersionAndOtherKindsAreRefusedWithAClearMessage() throws IOException {
        MemoryFileSystem fs = fsWithDir();
        AtomicFile.write(fs, FILE, MAGIC, (short) 3, text("from the future"));
        assertThatThrownBy(() -> AtomicFile.read(fs, FILE, MAGIC, (short) 2))
                .isInstanceOf(CorruptFileException.class).hasMessageContaining("version 3");
        assertThatThrownBy(() -> AtomicFile.read(fs, FILE, MAGIC + 1, (short) 3))
                .isInstanceOf(CorruptFileException.class).hasMessageContaining("magic");
    }

    @Test
    void crashAtAnyPointLeavesTheOldOrTheNewContent() throws IOException {
        // Count the writes and forces of one replacement, then crash after each prefix of them.
        for (int step = 0; step < 12; step++) {
            MemoryFileSystem memory = fsWithDir();
            AtomicFile.write(memory, FILE, MAGIC, (short) 1, text("old"));
            FaultInjectingFileSystem faults = new FaultInjectingFileSystem(memory);
            faults.failForce(step == 0 ? 1 : Long.MAX_VALUE);
            faults.tearWrite(step, step);
            try {
                AtomicFile.write(faults, FILE, MAGIC, (short) 1, text("new content"));
            } catch (RuntimeException expectedSometimes) {
                // A failed replacement must leave the old content.
            }
            memory.crash(new Random(step));
            String after = text(AtomicFile.read(memory, FILE, MAGIC, (short) 1));
            assertThat(after).isIn("old", "new content");
        }
    }

    @Test
    void worksOnRealFiles(@TempDir Path temp) {
        RealFileSystem fs = new RealFileSystem();
        Path file = temp.resolve("manifest");
        AtomicFile.write(fs, file, MAGIC, (short) 1, text("real"));
        AtomicFile.write(fs, file, MAGIC, (short) 1, text("real again"));
        assertThat(text(AtomicFile.read(fs, file, MAGIC, (short) 1))).isEqualTo("real again");
    }
}
