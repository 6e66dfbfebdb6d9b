package dev.cairn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.common.ClosedException;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicPartition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CairnTest {
    @TempDir
    Path dir;

    @Test
    void logIsReachedThroughCairnAndSurvivesReopen() {
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
}
