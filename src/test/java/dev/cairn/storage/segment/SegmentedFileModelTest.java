package dev.cairn.storage.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.common.Durability;
import dev.cairn.storage.Storage;
import dev.cairn.storage.fs.MemoryFileSystem;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random appends, rolls, head deletions, clean reopens and power losses against a plain list of
 * entries; after every step the file must hold exactly the model's entries. Iterations come from
 * the {@code cairn.fuzz.iterations} system property (raised by {@code -Pstress}); a failure names
 * the seed and step.
 */
class SegmentedFileModelTest {
    private static final Path ROOT = Path.of("/data");
    private static final Path DIR = ROOT.resolve("model");

    /** One entry of the model: its number (segments are named by the number of their first entry) and bytes. */
    private record Entry(long number, byte[] bytes) {
    }

    @Test
    void randomOperationsNeverDivergeFromTheModel() {
        int seeds = Integer.getInteger("cairn.fuzz.iterations", 200);
        for (int seed = 0; seed < seeds; seed++) {
            run(seed);
        }
    }

    private static void run(long seed) {
        Random random = new Random(seed);
        MemoryFileSystem memory = new MemoryFileSystem();
        Durability durability = Durability.values()[random.nextInt(Durability.values().length)];
        SegmentedFileOptions options = SegmentedFileOptions.defaults(".seg")
                .withSegmentBytes(64 + random.nextInt(400)).withMaxEntryBytes(300).withDurability(durability);
        Storage storage = Storage.open(memory, ROOT, 1000);
        SegmentedFile file = SegmentedFile.open(storage, DIR, options, 0);
        List<Entry> model = new ArrayList<>();
        long nextNumber = 0;
        int durableCount = 0;
        int steps = 60 + random.nextInt(60);
        for (int step = 0; step < steps; step++) {
            String where = "seed " + seed + " step " + step + " (" + durability + ")";
            int action = random.nextInt(100);
            if (action < 70) {
                byte[] bytes = new byte[random.nextInt(120)];
                random.nextBytes(bytes);
                if (file.shouldRoll(bytes.length)) {
                    file.roll(nextNumber);
                }
                file.append(ByteBuffer.wrap(bytes));
                file.awaitDurable(file.writtenMark());
                model.add(new Entry(nextNumber++, bytes));
                if (durability == Durability.ALWAYS) {
                    durableCount = model.size();
                }
            } else if (action < 78 && !file.active().isEmpty()) {
                file.roll(nextNumber);
            } else if (action < 84) {
                List<Segment> segments = file.segments();
                long below = segments.get(random.nextInt(segments.size())).base();
                file.deleteSegmentsBelow(below);
                long firstKept = file.segments().get(0).base();
                int before = model.size();
                model.removeIf(e -> e.number() < firstKept);
                durableCount = Math.max(0, durableCount - (before - model.size()));
            } else if (action < 92) {
                file.close();
                durableCount = model.size();
                file = SegmentedFile.open(storage, DIR, options, 0);
                assertThat(file.recovery().scanned()).as(where).isFalse();
            } else {
                // Power loss: only what was synced must survive; some unsynced bytes may too.
                memory.crash(random);
                storage.close();
                storage = Storage.open(memory, ROOT, 1000);
                file = SegmentedFile.open(storage, DIR, options, 0);
                List<Entry> survivors = read(file);
                assertThat(survivors.size()).as(where + ": entries surviving a crash").isGreaterThanOrEqualTo(
                        Math.min(durableCount, model.size()));
                model = new ArrayList<>(model.subList(0, Math.min(model.size(), survivors.size())));
                durableCount = model.size();
                nextNumber = model.isEmpty() ? file.active().base() : model.get(model.size() - 1).number() + 1;
                nextNumber = Math.max(nextNumber, file.active().base() + (file.active().isEmpty() ? 0 : 1));
            }
            List<Entry> actual = read(file);
            assertThat(actual).as(where).hasSameSizeAs(model);
            for (int i = 0; i < model.size(); i++) {
                assertThat(actual.get(i).bytes()).as(where + " entry " + i).isEqualTo(model.get(i).bytes());
            }
        }
        file.close();
        storage.close();
    }

    private static List<Entry> read(SegmentedFile file) {
        List<Entry> entries = new ArrayList<>();
        for (Segment segment : file.segments()) {
            SegmentScanner scanner = segment.scanner(SegmentFormat.HEADER_SIZE);
            while (scanner.nextOrThrow()) {
                byte[] bytes = new byte[scanner.payload().remaining()];
                scanner.payload().get(bytes);
                entries.add(new Entry(-1, bytes));
            }
        }
        return entries;
    }
}
