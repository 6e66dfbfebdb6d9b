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
 * page cannot drift from code that works. Lines are compared without their indentation.
 */
class DocSnippetsTest {
    private static final Path EXAMPLES = Path.of("src/test/java/dev/cairn/examples");

    @ParameterizedTest
    @ValueSource(strings = {"docs/testing.md"})
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
            assertThat(examples.stream().anyMatch(example -> java.util.Collections.indexOfSubList(example, block) >= 0))
                    .as("this block of %s is in no example class:%n%s", page, String.join("\n", block)).isTrue();
        }
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
        return lines.stream().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }
}
