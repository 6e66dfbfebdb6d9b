package dev.cairn.log;

import java.util.Arrays;
import java.util.Objects;

/**
 * A record header: a string key and a byte value (nullable), as in Kafka.
 *
 * @param key the header name
 * @param value the header value, or null
 */
public record Header(String key, byte[] value) {
    public Header {
        Objects.requireNonNull(key, "key");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Header h && key.equals(h.key) && Arrays.equals(value, h.value);
    }

    @Override
    public int hashCode() {
        return key.hashCode() * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return key + "=" + (value == null ? "null" : value.length + " bytes");
    }
}
