package dev.cairn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.common.ClosedException;
import dev.cairn.common.Durability;
import dev.cairn.common.MissingFileException;
import dev.cairn.common.StorageException;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicPartition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CairnTest {

    @Test
    void openCreatesTheDirectoryAndLocksIt(@TempDir Path temp) {
        Path dir = temp.resolve("nested").resolve("data");
        try (Cairn cairn = Cairn.open(dir)) {
            assertThat(Files.isDirectory(dir)).isTrue();
            assertThat(cairn.directory()).isEqualTo(dir.toAbsolutePath());
            assertThat(cairn.isInMemory()).isFalse();
            assertThatThrownBy(() -> Cairn.open(dir))
                    .isInstanceOf(StorageException.class).hasMessageContaining("already in use");
        }
        Cairn.open(dir).close();
    }

    @Test
    void storageStatsStartAtZero(@TempDir Path dir) {
        try (Cairn cairn = Cairn.open(dir)) {
            assertThat(cairn.storageStats()).isEqualTo(new dev.cairn.common.StorageStats(0, 0, 0, 0, 0));
        }
    }

    @Test
    void theDictionaryOnDiskSurvivesAReopen(@TempDir Path dir) {
        try (Cairn cairn = Cairn.open(dir)) {
            cairn.dictionary().strings().set("greeting", "hello".getBytes());
            assertThat(cairn.dictionary()).isSameAs(cairn.dictionary());
        }
        try (Cairn cairn = Cairn.open(dir)) {
            assertThat(cairn.dictionary().strings().get("greeting")).isEqualTo("hello".getBytes());
            assertThat(cairn.dictionary().stats().persistent()).isTrue();
        }
    }

    @Test
    void closingCairnClosesTheDictionary() {
        Cairn cairn = Cairn.inMemory();
        var dictionary = cairn.dictionary();
        cairn.close();
        assertThatThrownBy(() -> dictionary.strings().get("k")).isInstanceOf(ClosedException.class);
        assertThatThrownBy(cairn::dictionary).isInstanceOf(ClosedException.class);
    }

    @Test
    void theLogIsReachedThroughCairnAndSurvivesAReopen(@TempDir Path dir) {
        try (Cairn cairn = Cairn.open(dir)) {
            assertThat(cairn.log()).isSameAs(cairn.log());
            cairn.log().createTopic("t", TopicConfig.defaults().withPartitions(2));
            cairn.log().append(new ProducerRecord("t", 1, null, null, "v".getBytes(StandardCharsets.UTF_8),
                    java.util.List.of()));
        }
        try (Cairn cairn = Cairn.open(dir)) {
            assertThat(cairn.log().endOffset(new TopicPartition("t", 1))).isEqualTo(1);
        }
        Cairn closed = Cairn.inMemory();
        closed.log();
        closed.close();
        assertThatThrownBy(closed::log).isInstanceOf(ClosedException.class);
    }

    @Test
    void inMemoryTouchesNoDisk() {
        try (Cairn cairn = Cairn.inMemory()) {
            assertThat(cairn.isInMemory()).isTrue();
            assertThat(Files.exists(cairn.directory())).isFalse();
        }
    }

    @Test
    void closeIsIdempotentAndUseAfterCloseIsAClearError() {
        Cairn cairn = Cairn.builder().inMemory().durability(Durability.NONE).open();
        assertThat(cairn.defaultDurability()).isEqualTo(Durability.NONE);
        cairn.close();
        cairn.close();
        assertThat(cairn.isClosed()).isTrue();
        assertThatThrownBy(cairn::storage).isInstanceOf(ClosedException.class).hasMessageContaining("closed");
    }

    @Test
    void builderNeedsADirectoryOrMemory() {
        assertThatThrownBy(() -> Cairn.builder().open()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Cairn.builder().directory(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aDeletedManifestIsRefusedAndTheSnapshotKept(@TempDir Path dir) throws java.io.IOException {
        try (Cairn c = Cairn.open(dir)) {
            c.dictionary().strings().set("k", "v");
            c.dictionary().snapshot();
        }
        Files.delete(dir.resolve("dictionary/manifest"));
        try (Cairn c = Cairn.open(dir)) {
            assertThatThrownBy(c::dictionary).isInstanceOf(MissingFileException.class)
                    .hasMessageContaining("manifest");
        }
        try (var files = Files.list(dir.resolve("dictionary"))) {
            assertThat(files.map(f -> f.getFileName().toString())).anyMatch(n -> n.startsWith("snapshot-"));
        }
    }

    @Test
    void aRegularFileAsTheDataDirectoryIsNamedAsSuch(@TempDir Path temp) throws java.io.IOException {
        Path file = Files.writeString(temp.resolve("data"), "not a directory");
        assertThatThrownBy(() -> Cairn.open(file)).isInstanceOf(StorageException.class)
                .hasMessageContaining(file + " exists and is not a directory");
        assertThatThrownBy(() -> Cairn.open(file.resolve("below"))).isInstanceOf(StorageException.class)
                .hasMessageContaining(file + " exists and is not a directory");
    }
}
