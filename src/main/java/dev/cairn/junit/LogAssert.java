package dev.cairn.junit;

import dev.cairn.log.Log;
import java.util.TreeSet;
import org.assertj.core.api.AbstractAssert;

/** Assertions on a {@link Log}: which topics it has, and {@link #topic} for one topic's records. */
public final class LogAssert extends AbstractAssert<LogAssert, Log> {

    LogAssert(Log actual) {
        super(actual, LogAssert.class);
    }

    public LogAssert hasTopic(String topic) {
        isNotNull();
        if (!actual.topics().contains(topic)) {
            failWithMessage("expected the log to have topic <%s> but its topics are <%s>", topic,
                    new TreeSet<>(actual.topics()));
        }
        return this;
    }

    public LogAssert doesNotHaveTopic(String topic) {
        isNotNull();
        if (actual.topics().contains(topic)) {
            failWithMessage("expected the log not to have topic <%s>", topic);
        }
        return this;
    }

    /** Assertions on every record of {@code topic} (which must exist), read now. */
    public TopicAssert topic(String topic) {
        hasTopic(topic);
        return new TopicAssert(topic, LogReading.records(actual, topic));
    }
}
