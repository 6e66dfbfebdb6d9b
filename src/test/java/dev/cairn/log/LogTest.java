package dev.cairn.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@link Log} contract as users reach it: through {@code Cairn.inMemory()} or {@code Cairn.open(dir)}. */
class LogTest {
    @TempDir
    Path dir;

    private static byte[] id(long n) {
        return ByteBuffer.allocate(8).putLong(n).array();
    }

    private static List<Long> ids(List<ConsumerRecord> records) {
        return records.stream().map(r -> ByteBuffer.wrap(r.value()).getLong()).sorted().toList();
    }

    /** Appends ids 0 to 9 to t, commits 5 of them for group g, deletes and re-creates t, and appends ids 100 to 109. */
    private static void commitDeleteAndRecreate(Log log) {
        log.createTopic("t", TopicConfig.defaults());
        for (int i = 0; i < 10; i++) {
            log.append(ProducerRecord.of("t", id(i)));
        }
        try (Consumer c = log.consumer(ConsumerConfig.group("g").withMaxPollRecords(5))) {
            c.subscribe(List.of("t"));
            assertThat(c.poll(Duration.ZERO)).hasSize(5);
            c.commitSync();
        }
        log.deleteTopic("t");
        log.createTopic("t", TopicConfig.defaults());
        for (int i = 100; i < 110; i++) {
            log.append(ProducerRecord.of("t", id(i)));
        }
    }

    private static List<Long> readAsGroup(Log log) {
        try (Consumer c = log.consumer(ConsumerConfig.group("g"))) {
            assertThat(c.committed(new TopicPartition("t", 0))).isEmpty();
            c.subscribe(List.of("t"));
            return ids(c.poll(Duration.ZERO));
        }
    }

    @Test
    void aRecreatedTopicStartsWithoutTheOldCommittedOffsetsInMemory() {
        try (Cairn cairn = Cairn.inMemory()) {
            commitDeleteAndRecreate(cairn.log());
            assertThat(readAsGroup(cairn.log())).hasSize(10).first().isEqualTo(100L);
        }
    }

    @Test
    void aRecreatedTopicStartsWithoutTheOldCommittedOffsetsAfterReopenOnDisk() {
        try (Cairn cairn = Cairn.open(dir)) {
            commitDeleteAndRecreate(cairn.log());
        }
        try (Cairn cairn = Cairn.open(dir)) {
            assertThat(readAsGroup(cairn.log())).hasSize(10).first().isEqualTo(100L);
        }
    }

    @Test
    void unkeyedRecordsSpreadEvenlyPerTopicWhenTopicsAlternate() {
        try (Cairn cairn = Cairn.inMemory()) {
            Log log = cairn.log();
            log.createTopic("a", TopicConfig.defaults().withPartitions(2));
            log.createTopic("b", TopicConfig.defaults().withPartitions(2));
            for (int i = 0; i < 100; i++) {
                log.append(ProducerRecord.of("a", id(i)));
                log.append(ProducerRecord.of("b", id(i)));
            }
            for (String topic : List.of("a", "b")) {
                assertThat(Map.of(0, log.endOffset(new TopicPartition(topic, 0)), 1, log.endOffset(new TopicPartition(topic, 1))))
                        .as(topic).containsEntry(0, 50L).containsEntry(1, 50L);
            }
        }
    }
}
