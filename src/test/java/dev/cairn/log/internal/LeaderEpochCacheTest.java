package dev.cairn.log.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.common.CorruptFileException;
import dev.cairn.log.internal.LeaderEpochFormat.Entry;
import dev.cairn.log.internal.replica.EpochEndOffset;
import dev.cairn.storage.AtomicFile;
import dev.cairn.storage.fs.MemoryFileSystem;
import dev.cairn.storage.fs.StorageFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeaderEpochCacheTest {
    private final MemoryFileSystem fs = new MemoryFileSystem();
    private final Path dir = Path.of("/p");
    private final Path file = dir.resolve(LeaderEpochFormat.FILE_NAME);

    LeaderEpochCacheTest() throws IOException {
        fs.createDirectories(dir);
    }

    private LeaderEpochCache load() {
        return LeaderEpochCache.load(fs, dir, List.of());
    }

    private LeaderEpochCache with(int... epochAndStart) {
        LeaderEpochCache cache = load();
        for (int i = 0; i < epochAndStart.length; i += 2) {
            cache.assign(epochAndStart[i], epochAndStart[i + 1]);
        }
        return cache;
    }

    @Test
    void aMissingFileIsNoEpochs() {
        LeaderEpochCache cache = load();
        assertThat(cache.entries()).isEmpty();
        assertThat(cache.latestEpoch()).isEqualTo(-1);
        assertThat(cache.endOffsetFor(5, 100)).isEqualTo(EpochEndOffset.UNDEFINED);
    }

    @Test
    void entriesSurviveAReload() {
        with(0, 0, 2, 10, 5, 30);
        assertThat(load().entries()).containsExactly(new Entry(0, 0), new Entry(2, 10), new Entry(5, 30));
    }

    @Test
    void anEpochNotNewerThanTheLatestIsIgnored() {
        LeaderEpochCache cache = with(3, 10);
        assertThat(cache.assign(3, 20)).isFalse();
        assertThat(cache.assign(2, 30)).isFalse();
        assertThat(cache.entries()).containsExactly(new Entry(3, 10));
    }

    // Scenario (Kafka's cache): a newer epoch that starts at or below the latest entry's start
    // replaces the entries it overwrote.
    @Test
    void aNewEpochStartingBelowTheLatestReplacesIt() {
        LeaderEpochCache cache = with(1, 0, 2, 10, 3, 20);
        assertThat(cache.assign(4, 10)).isTrue();
        assertThat(cache.entries()).containsExactly(new Entry(1, 0), new Entry(4, 10));
        assertThat(load().entries()).isEqualTo(cache.entries());
    }

    // Kafka's examples: epochs (1, 0), (2, 6), (4, 10) over a log ending at 15.
    @Test
    void endOffsetForFollowsTheContract() {
        LeaderEpochCache cache = with(1, 0, 2, 6, 4, 10);
        assertThat(cache.endOffsetFor(1, 15)).isEqualTo(new EpochEndOffset(1, 6));
        assertThat(cache.endOffsetFor(2, 15)).isEqualTo(new EpochEndOffset(2, 10));
        assertThat(cache.endOffsetFor(3, 15)).isEqualTo(new EpochEndOffset(2, 10)); // unknown: the largest below
        assertThat(cache.endOffsetFor(4, 15)).isEqualTo(new EpochEndOffset(4, 15)); // the latest ends at the log end
        assertThat(cache.endOffsetFor(9, 15)).isEqualTo(new EpochEndOffset(4, 15));
        assertThat(cache.endOffsetFor(0, 15)).isEqualTo(EpochEndOffset.UNDEFINED);
    }

    @Test
    void truncateFromEndDropsEntriesStartingAtOrAfterTheOffset() {
        LeaderEpochCache cache = with(1, 0, 2, 6, 4, 10);
        cache.truncateFromEnd(10);
        assertThat(cache.entries()).containsExactly(new Entry(1, 0), new Entry(2, 6));
        cache.truncateFromEnd(7);
        assertThat(load().entries()).containsExactly(new Entry(1, 0), new Entry(2, 6));
    }

    @Test
    void truncateFromStartMovesTheCoveringEntryUp() {
        LeaderEpochCache cache = with(1, 0, 2, 6, 4, 10);
        cache.truncateFromStart(8);
        assertThat(cache.entries()).containsExactly(new Entry(2, 8), new Entry(4, 10));
        cache.truncateFromStart(10);
        assertThat(load().entries()).containsExactly(new Entry(4, 10));
        cache.truncateFromStart(3); // below the first: nothing to drop
        assertThat(cache.entries()).containsExactly(new Entry(4, 10));
    }

    @Test
    void clearEmptiesTheFile() {
        LeaderEpochCache cache = with(1, 0);
        cache.clear();
        assertThat(load().entries()).isEmpty();
    }

    @Test
    void badInputIsRefused() {
        assertThatThrownBy(() -> load().assign(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LeaderEpochFormat.decode("f", LeaderEpochFormat.encode(
                List.of(new Entry(2, 5), new Entry(1, 6))))).isInstanceOf(CorruptFileException.class)
                .hasMessageContaining("does not follow");
        ByteBuffer shortList = LeaderEpochFormat.encode(List.of(new Entry(1, 0))).putInt(0, 2);
        assertThatThrownBy(() -> LeaderEpochFormat.decode("f", shortList)).isInstanceOf(CorruptFileException.class)
                .hasMessageContaining("says 2 entries");
    }

    // Scenario: a damaged file is rebuilt from the batches (here: none, so no epochs), not fatal.
    @Test
    void aDamagedFileIsRebuiltAndRewritten() throws IOException {
        with(1, 0, 2, 6);
        try (StorageFile f = fs.openExisting(file)) {
            f.write(ByteBuffer.wrap(new byte[] {0x55}), 20);
        }
        assertThat(load().entries()).isEmpty();
        assertThat(AtomicFile.read(fs, file, LeaderEpochFormat.MAGIC, LeaderEpochFormat.VERSION)).isPresent();
    }
}
