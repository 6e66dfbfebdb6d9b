package dev.cairn.kafka;

import dev.cairn.log.AutoOffsetReset;
import dev.cairn.log.ConsumerConfig;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * An {@link InProcessConsumer}'s configs read with Kafka's names and defaults, and the log
 * consumer config they come down to.
 *
 * @param clientId {@code client.id}, or one made up as Kafka makes it
 * @param groupId {@code group.id}, or null (an empty one is none, as in Kafka)
 * @param autoCommit {@code enable.auto.commit}: true by default with a group id, false without
 * @param autoCommitIntervalMs {@code auto.commit.interval.ms}, 5000 by default
 * @param log the log consumer's config: the group, {@code auto.offset.reset} ({@code latest} by
 *     default), {@code max.poll.records} (500), {@code max.poll.interval.ms} (300000) as the
 *     session timeout, {@code check.crcs} (true)
 */
record ConsumerSettings(String clientId, String groupId, boolean autoCommit, long autoCommitIntervalMs,
        ConsumerConfig log) {
    private static final AtomicLong IDS = new AtomicLong();

    /**
     * @throws ConfigException if a value is malformed or out of range, or interceptors are configured
     * @throws InvalidConfigurationException if {@code enable.auto.commit} is true without a group id
     */
    static ConsumerSettings of(ClientConfigs config) {
        config.refuseInterceptors("consumer");
        String group = config.string("group.id", null);
        String groupId = group == null || group.isEmpty() ? null : group;
        String clientId = config.string("client.id", "consumer-" + (groupId == null ? "" : groupId + "-")
                + IDS.incrementAndGet());
        if (groupId == null && config.bool("enable.auto.commit", false)) {
            throw new InvalidConfigurationException("enable.auto.commit cannot be true without a group.id");
        }
        boolean autoCommit = groupId != null && config.bool("enable.auto.commit", true);
        long intervalMs = config.longValue("auto.commit.interval.ms", 5000, 0);
        AutoOffsetReset reset = parseReset(config.string("auto.offset.reset", "latest"));
        int maxPollRecords = config.intValue("max.poll.records", 500, 1);
        long maxPollIntervalMs = config.longValue("max.poll.interval.ms", 300_000, 1);
        // Checked as Kafka checks it; an in-process member has no heartbeat for it to bound.
        config.longValue("session.timeout.ms", 45_000, 1);
        config.string("group.instance.id", null);
        boolean checkCrcs = config.bool("check.crcs", true);
        return new ConsumerSettings(clientId, groupId, autoCommit, intervalMs, new ConsumerConfig(groupId, reset,
                maxPollRecords, groupId == null ? -1 : maxPollIntervalMs, checkCrcs));
    }

    private static AutoOffsetReset parseReset(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "earliest" -> AutoOffsetReset.EARLIEST;
            case "latest" -> AutoOffsetReset.LATEST;
            case "none" -> AutoOffsetReset.NONE;
            default -> throw new ConfigException("auto.offset.reset", value,
                    "the in-process consumer takes earliest, latest or none");
        };
    }

    /**
     * {@code given}, or a new deserializer of the class the config names, configured as
     * {@code KafkaConsumer} configures it (with every config plus the client id); one made here
     * is added to {@code made}, for the caller to close if construction fails later.
     */
    @SuppressWarnings("unchecked")
    <T> Deserializer<T> deserializer(Deserializer<T> given, ClientConfigs config, String name, boolean isKey,
            List<AutoCloseable> made) {
        if (given != null) {
            return given;
        }
        Deserializer<T> deserializer = config.instance(name, Deserializer.class);
        if (deserializer == null) {
            throw new ConfigException("Missing required configuration \"" + name
                    + "\" which has no default value (and no deserializer was given to the constructor)");
        }
        made.add(deserializer);
        deserializer.configure(config.originalsWith("client.id", clientId), isKey);
        return deserializer;
    }
}
