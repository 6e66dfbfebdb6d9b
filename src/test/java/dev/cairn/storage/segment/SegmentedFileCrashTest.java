package dev.cairn.storage.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.testing.ChildJvm;
import dev.cairn.storage.Storage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM appends with ALWAYS from 4 threads and reports each acknowledged entry; it is
 * killed ({@code destroyForcibly}, SIGKILL) after a random number of acknowledgements, the file
 * is reopened, and every acknowledged entry must be there, intact and in order, with nothing
 * corrupt returned. Kill count: {@code cairn.crash.kills} (50 by default, more with -Pstress).
 */
class SegmentedFileCrashTest {

    @Test
    void everyAcknowledgedEntrySurvivesKillNine(@TempDir Path root) throws Exception {
        int kills = Integer.getInteger("cairn.crash.kills", 50);
        long seed = System.nanoTime();
        Random random = new Random(seed);
        long acknowledgedMax = -1;
        int recoveriesThatTruncated = 0;
        for (int kill = 0; kill < kills; kill++) {
            String where = "seed " + seed + ", kill " + kill;
            Process child = start(root);
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.US_ASCII))) {
                String ready = out.readLine();
                assertThat(ready).as(where + ": child did not start").startsWith("READY");
                long startCount = Long.parseLong(ready.substring(6));
                assertThat(startCount).as(where + ": entries after restart").isGreaterThan(acknowledgedMax);
                int acksBeforeKill = random.nextInt(400);
                for (int i = 0; i < acksBeforeKill; i++) {
                    String line = out.readLine();
                    if (line == null) {
                        break;
                    }
                    if (line.startsWith("ACK ")) {
                        acknowledgedMax = Math.max(acknowledgedMax, Long.parseLong(line.substring(4)));
                    }
                }
                // Acknowledgements printed but not yet read are not checked: destroy closes the pipe.
                child.destroyForcibly();
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            } finally {
                child.destroyForcibly();
            }
            if (verify(root, acknowledgedMax, where)) {
                recoveriesThatTruncated++;
            }
        }
        assertThat(acknowledgedMax).isGreaterThan(0);
        System.out.printf("crash test: %d kills, %d entries acknowledged, %d recoveries truncated a torn tail%n",
                kills, acknowledgedMax + 1, recoveriesThatTruncated);
    }

    private static Process start(Path root) throws Exception {
        return ChildJvm.of(CrashingAppender.class, root.toString(), "4").start();
    }

    /** Checks the file holds entries 0..n in order, intact, covering every acknowledged one. */
    private static boolean verify(Path root, long acknowledgedMax, String where) {
        try (Storage storage = Storage.open(root);
                SegmentedFile file = SegmentedFile.open(storage, root.resolve("entries"), CrashingAppender.OPTIONS, 0)) {
            long expected = 0;
            for (Segment segment : file.segments()) {
                assertThat(segment.base()).as(where + ": segment base").isEqualTo(expected);
                SegmentScanner scanner = segment.scanner(SegmentFormat.HEADER_SIZE);
                while (scanner.nextOrThrow()) {
                    ByteBuffer payload = scanner.payload();
                    byte[] bytes = new byte[payload.remaining()];
                    payload.get(bytes);
                    assertThat(bytes).as(where + ": entry " + expected).isEqualTo(CrashingAppender.payload(expected));
                    expected++;
                }
            }
            assertThat(expected - 1).as(where + ": last entry on disk vs last acknowledged")
                    .isGreaterThanOrEqualTo(acknowledgedMax);
            return file.recovery().truncated();
        }
    }
}
