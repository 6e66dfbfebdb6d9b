package dev.cairn.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Java blocks of the pages listed here are parts of the example classes in this package,
 * which the suite compiles and runs: a block that no longer matches its class fails here, so the
 * page cannot drift from code that works. Lines are compared without their indentation, and runs of
 * spaces within them count as one; the examples' one-line {@code assertThat(...)} checks, which
 * a page may leave out, may stand between a block's lines.
 */
class DocSnippetsTest {
    private static final Path EXAMPLES = Path.of("src/test/java/dev/cairn/examples");

    @ParameterizedTest
    @ValueSource(strings = {"README.md", "docs/testing.md", "docs/log.md", "docs/dictionary.md", "docs/kafka-server.md",
        "docs/redis-server.md", "docs/getting-started.md"})
    void everyJavaBlockIsPartOfAnExampleThatRuns(String page) throws IOException {
        List<List<String>> blocks = javaBlocks(Files.readAllLines(Path.of(page)));
        assertThat(blocks).as("java blocks of %s", page).isNotEmpty();
        List<List<String>> examples = new ArrayList<>();
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                examples.add(normalized(Files.readAllLines(file)));
            }
        }
        for (List<String> block : blocks) {
            assertThat(examples.stream().anyMatch(example -> contains(example, block)))
                    .as("this block of %s is in no example class:%n%s", page, String.join("\n", block)).isTrue();
        }
    }

    /** Whether {@code block} is in {@code example}, line after line, skipping the example's checks only. */
    private static boolean contains(List<String> example, List<String> block) {
        for (int start = 0; start < example.size(); start++) {
            int e = start;
            int b = 0;
            while (b < block.size() && e < example.size()) {
                if (example.get(e).equals(block.get(b))) {
                    b++;
                } else if (b == 0 || !example.get(e).startsWith("assertThat(")) {
                    break;
                }
                e++;
            }
            if (b == block.size()) {
                return true;
            }
        }
        return false;
    }

    private static List<List<String>> javaBlocks(List<String> lines) {
        List<List<String>> blocks = new ArrayList<>();
        List<String> current = null;
        for (String line : lines) {
            if (current == null && line.trim().equals("```java")) {
                current = new ArrayList<>();
            } else if (current != null && line.trim().equals("```")) {
                blocks.add(normalized(current));
                current = null;
            } else if (current != null) {
                current.add(line);
            }
        }
        return blocks;
    }

    private static List<String> normalized(List<String> lines) {
        return lines.stream().map(line -> line.strip().replaceAll("\\s+", " ")).filter(line -> !line.isEmpty()).toList();
    }
}
