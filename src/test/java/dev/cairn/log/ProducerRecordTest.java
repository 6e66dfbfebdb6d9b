package dev.cairn.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.Cairn;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProducerRecordTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // Scenario: Kafka's ProducerRecord takes null headers as none; so does Cairn's, through append and read.
    @Test
    void nullHeadersMeanNone() {
        ProducerRecord record = new ProducerRecord("t", null, null, bytes("k"), bytes("v"), null);
        assertThat(record.headers()).isEmpty();
        assertThat(record).isEqualTo(new ProducerRecord("t", null, null, bytes("k"), bytes("v"), List.of()));
        try (Cairn cairn = Cairn.inMemory()) {
            Log log = cairn.log();
            log.createTopic("t", TopicConfig.defaults());
            log.append(record);
            assertThat(log.read(new TopicPartition("t", 0), 0, 10)).singleElement()
                    .satisfies(r -> assertThat(r.headers()).isEmpty());
        }
    }

    @Test
    void aNullHeaderIsNamedByPosition() {
        List<Header> headers = Arrays.asList(new Header("a", null), null);
        assertThatThrownBy(() -> new ProducerRecord("t", null, null, null, bytes("v"), headers))
                .isInstanceOf(NullPointerException.class).hasMessage("header 1 of 2 is null");
    }

    @Test
    void theRecordKeepsACopyOfItsHeaders() {
        List<Header> headers = new ArrayList<>(List.of(new Header("a", bytes("1"))));
        ProducerRecord record = new ProducerRecord("t", null, null, null, bytes("v"), headers);
        headers.clear();
        assertThat(record.headers()).containsExactly(new Header("a", bytes("1")));
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> new ProducerRecord(null, null, null, null, null, null))
                .isInstanceOf(NullPointerException.class).hasMessage("topic");
        assertThatThrownBy(() -> new ProducerRecord("t", -1, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("partition must be >= 0, was -1");
        // Kafka refuses negative timestamps too ("Timestamp should always be non-negative or null").
        assertThatThrownBy(() -> new ProducerRecord("t", null, -5L, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("timestampMs must be >= 0 or null, was -5");
        assertThat(new ProducerRecord("t", null, 0L, null, null, null).timestampMs()).isZero();
    }
}
