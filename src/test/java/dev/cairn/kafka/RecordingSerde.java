package dev.cairn.kafka;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A UTF-8 string serializer and deserializer that records how the clients use it: the configs and
 * key flag it was configured with, whether it was closed, and every instance made (by reflection
 * from a config too). It stamps a header on what it serializes, to show headers reach it.
 */
public class RecordingSerde implements Serializer<String>, Deserializer<String> {
    static final List<RecordingSerde> MADE = new CopyOnWriteArrayList<>();

    volatile Map<String, Object> configs;
    volatile Boolean isKey;
    volatile boolean closed;

    public RecordingSerde() {
        MADE.add(this);
    }

    @Override
    public void configure(Map<String, ?> given, boolean key) {
        this.configs = Map.copyOf(given);
        this.isKey = key;
    }

    @Override
    public byte[] serialize(String topic, String data) {
        return data == null ? null : data.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, String data) {
        headers.add(Boolean.TRUE.equals(isKey) ? "serialized-key" : "serialized-value", new byte[] {1});
        return serialize(topic, data);
    }

    @Override
    public String deserialize(String topic, byte[] data) {
        return data == null ? null : new String(data, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        closed = true;
    }
}
