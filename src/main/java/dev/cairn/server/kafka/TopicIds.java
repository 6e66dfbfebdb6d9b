package dev.cairn.server.kafka;

import dev.cairn.log.Log;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.Uuid;

/**
 * Kafka's topic ids for the log's topics, which have none of their own: the id of a topic is a
 * name-based UUID of its name, so it is the same on every server and after a restart. Unlike
 * Kafka, a topic deleted and created again under its name keeps its id; a client holding the id
 * reads the new topic, as a client that names topics does.
 *
 * <p>Thread-safe.
 */
final class TopicIds {
    private final Log log;
    private final Map<Uuid, String> names = new ConcurrentHashMap<>();

    TopicIds(Log log) {
        this.log = log;
    }

    /** The id of {@code topic} (whether or not it exists). */
    Uuid idOf(String topic) {
        UUID uuid = UUID.nameUUIDFromBytes(("cairn-topic:" + topic).getBytes(StandardCharsets.UTF_8));
        Uuid id = new Uuid(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits());
        names.putIfAbsent(id, topic);
        return id;
    }

    /** The name of the existing topic with id {@code id}, or null if there is none. */
    String nameOf(Uuid id) {
        String name = names.get(id);
        if (name == null) {
            for (String topic : log.topics()) {
                if (idOf(topic).equals(id)) {
                    return topic;
                }
            }
            return null;
        }
        return log.topics().contains(name) ? name : null;
    }
}
