package dev.cairn.examples;

import dev.cairn.Cairn;
import java.nio.file.Path;

/**
 * The README's demo: opens (or creates) the data directory {@code cairn-demo-data} in the working
 * directory and shows Cairn's main jobs on it.
 *
 * <p>Run with {@code mvn -B -q test-compile exec:java}.
 */
public final class Demo {
    private Demo() {
    }

    public static void main(String[] args) {
        Path directory = Path.of(args.length > 0 ? args[0] : "cairn-demo-data");
        try (Cairn cairn = Cairn.open(directory)) {
            System.out.println("opened " + cairn);
        }
    }
}
