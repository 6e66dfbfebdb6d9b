package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command: the demo runs from the main code and, run twice, finds its data again. */
class DemoTest {

    @Test
    void theSecondRunFindsWhatTheFirstWrote(@TempDir Path dir) {
        String first = run(dir);
        assertThat(first).startsWith("opened Cairn[" + dir.resolve("data").toAbsolutePath())
                .contains("this is run 1", "reopened: topic 'orders' holds");
        String second = run(dir);
        assertThat(second).contains("this is run 2");
    }

    private static String run(Path dir) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Demo.main(new String[] {dir.resolve("data").toString()});
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
