package dev.cairn.cli;

import dev.cairn.Cairn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A data directory as the inspection commands see it: opened read-only (nothing on disk is
 * created, written, renamed or deleted; what recovery would repair is repaired in memory only),
 * plus what its listing shows (the dictionary's databases and their files). Reading the listing
 * changes nothing either.
 *
 * <p>Not thread-safe; one per command.
 */
final class DataDirectory implements AutoCloseable {
    private final Path root;
    private final Cairn cairn;

    private DataDirectory(Path root, Cairn cairn) {
        this.root = root;
        this.cairn = cairn;
    }

    /** Opens {@code root} read-only; fails if it is not a directory or a Cairn has it open. */
    static DataDirectory open(Path root) {
        Path absolute = root.toAbsolutePath().normalize();
        return new DataDirectory(absolute, Cairn.builder().directory(absolute).readOnly(true).open());
    }

    Path root() {
        return root;
    }

    Cairn cairn() {
        return cairn;
    }

    /** Whether the directory holds a log (it is opened only then, so an absent one stays absent). */
    boolean hasLog() {
        return Files.isDirectory(root.resolve("log"));
    }

    /** The dictionary databases present, by index: {@code dictionary/} is 0, {@code dictionary-<n>/} is n. */
    Map<Integer, Path> databases() throws IOException {
        Map<Integer, Path> found = new TreeMap<>();
        for (Path p : list(root)) {
            String name = p.getFileName().toString();
            if (!Files.isDirectory(p)) {
                continue;
            }
            if (name.equals("dictionary")) {
                found.put(0, p);
            } else if (name.matches("dictionary-\\d{1,2}")) {
                int index = Integer.parseInt(name.substring("dictionary-".length()));
                if (index > 0 && index < Cairn.DATABASES) {
                    found.put(index, p);
                }
            }
        }
        return found;
    }

    /** The entries of {@code directory}, sorted; none when it does not exist. */
    static List<Path> list(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            List<Path> sorted = new ArrayList<>(entries.toList());
            sorted.sort(null);
            return sorted;
        }
    }

    @Override
    public void close() {
        cairn.close();
    }
}
