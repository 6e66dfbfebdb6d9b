package dev.cairn.junit;

import dev.cairn.log.ConsumerRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.Assertions;
import org.assertj.core.api.ListAssert;

/**
 * Assertions on the records of one topic, read when the assertion began: partition by partition,
 * each in offset order. Keys and values are compared as UTF-8 text; a null stays null.
 */
public final class TopicAssert extends AbstractAssert<TopicAssert, List<ConsumerRecord>> {
    private final String topic;

    TopicAssert(String topic, List<ConsumerRecord> records) {
        super(records, TopicAssert.class);
        this.topic = topic;
        describedAs("topic " + topic);
    }

    public TopicAssert isEmpty() {
        return hasRecordCount(0);
    }

    public TopicAssert hasRecordCount(int expected) {
        if (actual.size() != expected) {
            failWithMessage("expected topic <%s> to hold %d records but it holds %d: values <%s>", topic, expected,
                    actual.size(), texts(false));
        }
        return this;
    }

    /** The values include all of {@code expected} (any order, others allowed). */
    public TopicAssert containsValues(String... expected) {
        values().contains(expected);
        return this;
    }

    /** The values are exactly {@code expected}, in order (partition by partition, offset order within each). */
    public TopicAssert containsExactlyValues(String... expected) {
        values().containsExactly(expected);
        return this;
    }

    /** The keys include all of {@code expected}. */
    public TopicAssert containsKeys(String... expected) {
        keys().contains(expected);
        return this;
    }

    /** The values as text, for any other AssertJ list assertion. */
    public ListAssert<String> values() {
        return Assertions.assertThat(texts(false)).as("values of topic %s", topic);
    }

    /** The keys as text. */
    public ListAssert<String> keys() {
        return Assertions.assertThat(texts(true)).as("keys of topic %s", topic);
    }

    /** The records themselves. */
    public ListAssert<ConsumerRecord> records() {
        return Assertions.assertThat(actual).as("records of topic %s", topic);
    }

    private List<String> texts(boolean keys) {
        List<String> texts = new ArrayList<>(actual.size());
        for (ConsumerRecord r : actual) {
            byte[] bytes = keys ? r.key() : r.value();
            texts.add(bytes == null ? null : new String(bytes, StandardCharsets.UTF_8));
        }
        return texts;
    }

}
