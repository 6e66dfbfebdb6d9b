package dev.cairn.benchmarks.persistence;

import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.StringCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Inputs shared by the persistence benchmarks: 16-byte ASCII keys, 100-byte values, and temporary
 * data directories under {@code java.io.tmpdir} (on the real disk, not a RAM file system, when
 * {@code /tmp} is on the root file system).
 *
 * <p>Stateless; the arrays it returns are owned by the caller.
 */
final class BenchData {
    static final int KEY_BYTES = 16;
    static final int VALUE_BYTES = 100;

    private BenchData() {
    }

    /** {@code count} distinct keys of exactly {@link #KEY_BYTES} ASCII characters: "k" and 15 digits. */
    static String[] keys(int count) {
        String[] keys = new String[count];
        for (int i = 0; i < count; i++) {
            keys[i] = String.format("k%015d", i);
        }
        return keys;
    }

    /** A value of {@link #VALUE_BYTES} bytes, not all equal so nothing can be special-cased. */
    static byte[] value(int seed) {
        byte[] value = new byte[VALUE_BYTES];
        Arrays.fill(value, (byte) 'v');
        value[0] = (byte) seed;
        value[VALUE_BYTES - 1] = (byte) (seed >>> 8);
        return value;
    }

    /** SETs every key, each with the same value. */
    static void load(Dictionary dictionary, String[] keys, byte[] value) {
        StringCommands strings = dictionary.strings();
        for (String key : keys) {
            strings.set(key, value);
        }
    }

    static Path tempDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes {@code directory} and everything under it; nothing if it is null or gone. */
    static void delete(Path directory) {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
