package dev.cairn.junit;

import static dev.cairn.junit.CairnAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.KeyType;
import dev.cairn.log.ConsumerConfig;
import dev.cairn.log.Log;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.TopicPartition;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CairnAssertionsTest {
    @RegisterExtension
    final CairnExtension cairn = CairnExtension.inMemory().withTopic("orders", 2);

    @Test
    void topicAssertionsReadEveryPartition(Log log) {
        log.append(ProducerRecord.of("orders", bytes("a"), bytes("o-1")));
        log.append(ProducerRecord.of("orders", bytes("b"), bytes("o-2")));
        log.append(new ProducerRecord("orders", 1, null, null, bytes("o-3"), List.of()));

        assertThat(log).hasTopic("orders").doesNotHaveTopic("refunds");
        assertThat(log).topic("orders").hasRecordCount(3).containsValues("o-3", "o-1").containsKeys("a", "b");
        assertThat(log).topic("orders").values().containsExactlyInAnyOrder("o-1", "o-2", "o-3");

        assertThatThrownBy(() -> assertThat(log).topic("orders").containsValues("o-9"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("o-9");
        assertThatThrownBy(() -> assertThat(log).topic("refunds")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("refunds").hasMessageContaining("orders");
        assertThatThrownBy(() -> assertThat(log).topic("orders").isEmpty()).isInstanceOf(AssertionError.class)
                .hasMessageContaining("holds 3");
    }

    @Test
    void keyAssertionsNameWhatIsThere(Dictionary d) {
        d.strings().set("visits", "3");
        d.hashes().hset("user:1", "name", "ada");
        d.lists().rpush("queue", "a", "b");
        d.sets().sadd("tags", bytes("x"), bytes("y"));
        d.keys().expire("visits", 100);

        assertThat(d).containsKeys("visits", "user:1", "queue", "tags").doesNotContainKeys("nope").hasSize(4);
        assertThat(d).key("visits").hasValue("3").hasExpiry();
        assertThat(d).key("user:1").hasType(KeyType.HASH).hasField("name", "ada").hasNoExpiry();
        assertThat(d).key("queue").hasElements("a", "b");
        assertThat(d).key("tags").hasMembers("y", "x");
        assertThat(d).key("nope").doesNotExist();

        assertThatThrownBy(() -> assertThat(d).key("queue").hasValue("a")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("to hold a string but it holds a list");
        assertThatThrownBy(() -> assertThat(d).containsKeys("visits", "gone")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("<[gone]> are missing");
        assertThatThrownBy(() -> assertThat(d).key("user:1").hasField("name", "bob"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("{name=ada}");
    }

    @Test
    void pollUntilFailsNamingWhatArrived(Log log) {
        log.append(ProducerRecord.of("orders", bytes("k"), bytes("only one")));
        try (var consumer = log.consumer(ConsumerConfig.standalone())) {
            consumer.assign(List.of(new TopicPartition("orders", 0), new TopicPartition("orders", 1)));
            assertThatThrownBy(() -> CairnExtension.pollUntil(consumer, 2, Duration.ofMillis(300)))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("expected 2 records")
                    .hasMessageContaining("but 1 arrived");
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
