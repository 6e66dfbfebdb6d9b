package dev.cairn.server.kafka;

import java.util.Objects;

/**
 * How a {@link KafkaServer} listens and what it allows, with a Kafka broker's defaults where the
 * broker has a setting of the same meaning. Immutable; change a field with its {@code with...}
 * method.
 *
 * @param host               the address to bind, {@code 127.0.0.1} by default
 * @param port               the port, 9092 by default; 0 picks a free one ({@link KafkaServer#port()} tells which)
 * @param advertisedHost     the host name Metadata gives clients to reach this server, or null for
 *                           {@code host} (Kafka's {@code advertised.listeners}); needed when {@code host}
 *                           is a wildcard such as {@code 0.0.0.0}, which no client can connect to
 * @param autoCreateTopics   whether a Metadata request for a missing topic creates it, as Kafka's
 *                           {@code auto.create.topics.enable} (true by default)
 * @param defaultPartitions  partitions of a topic created without a count, on Metadata or CreateTopics
 *                           ({@code num.partitions}, 1 by default)
 * @param maxRequestBytes    the largest request accepted; a client that announces a larger one is
 *                           disconnected ({@code socket.request.max.bytes}, 100 MiB by default)
 * @param nodeId             the broker id this server gives itself in Metadata ({@code node.id}, 1 by default)
 * @param groupInitialRebalanceDelayMs how long the first rebalance of an empty group waits for more
 *                           members to join ({@code group.initial.rebalance.delay.ms}): 0 by default, as
 *                           a test broker is configured (Kafka's own default is 3000)
 * @param groupMinSessionTimeoutMs the shortest session timeout a joining consumer may ask for
 *                           ({@code group.min.session.timeout.ms}, 6000 by default, as Kafka's)
 * @param groupMaxSessionTimeoutMs the longest session timeout a joining consumer may ask for
 *                           ({@code group.max.session.timeout.ms}, 1800000 by default, as Kafka's)
 */
public record KafkaServerOptions(String host, int port, String advertisedHost, boolean autoCreateTopics,
        int defaultPartitions, int maxRequestBytes, int nodeId, int groupInitialRebalanceDelayMs,
        int groupMinSessionTimeoutMs, int groupMaxSessionTimeoutMs) {

    /**
     * Kafka's defaults: 127.0.0.1:9092, topics created on Metadata with 1 partition, 100 MiB requests,
     * node 1, session timeouts of 6 s to 30 min; but no initial rebalance delay.
     */
    public static final KafkaServerOptions DEFAULT = new KafkaServerOptions("127.0.0.1", 9092, null, true, 1,
            100 * 1024 * 1024, 1, 0, 6_000, 1_800_000);

    public KafkaServerOptions {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
        }
        if (defaultPartitions < 1) {
            throw new IllegalArgumentException("defaultPartitions must be at least 1, got " + defaultPartitions);
        }
        if (maxRequestBytes < 64) {
            throw new IllegalArgumentException("maxRequestBytes must be at least 64, got " + maxRequestBytes);
        }
        if (nodeId < 0) {
            throw new IllegalArgumentException("nodeId must not be negative, got " + nodeId);
        }
        if (groupInitialRebalanceDelayMs < 0) {
            throw new IllegalArgumentException("groupInitialRebalanceDelayMs must not be negative, got "
                    + groupInitialRebalanceDelayMs);
        }
        if (groupMinSessionTimeoutMs < 1 || groupMaxSessionTimeoutMs < groupMinSessionTimeoutMs) {
            throw new IllegalArgumentException("group session timeouts must satisfy 1 <= min <= max, got min "
                    + groupMinSessionTimeoutMs + " and max " + groupMaxSessionTimeoutMs);
        }
    }

    /** The host Metadata advertises: {@link #advertisedHost()} if set, else {@link #host()}. */
    public String hostToAdvertise() {
        return advertisedHost != null ? advertisedHost : host;
    }

    public KafkaServerOptions withHost(String newHost) {
        return new KafkaServerOptions(newHost, port, advertisedHost, autoCreateTopics, defaultPartitions,
                maxRequestBytes, nodeId, groupInitialRebalanceDelayMs,
                groupMinSessionTimeoutMs, groupMaxSessionTimeoutMs);
    }

    public KafkaServerOptions withPort(int newPort) {
        return new KafkaServerOptions(host, newPort, advertisedHost, autoCreateTopics, defaultPartitions,
                maxRequestBytes, nodeId, groupInitialRebalanceDelayMs,
                groupMinSessionTimeoutMs, groupMaxSessionTimeoutMs);
    }

    public KafkaServerOptions withAdvertisedHost(String newHost) {
        return new KafkaServerOptions(host, port, newHost, autoCreateTopics, defaultPartitions,
                maxRequestBytes, nodeId, groupInitialRebalanceDelayMs,
                groupMinSessionTimeoutMs, groupMaxSessionTimeoutMs);
    }

    public KafkaServerOptions withAutoCreateTopics(boolean create) {
        return new KafkaServerOptions(host, port, advertisedHost, create, defaultPartitions,
                maxRequestBytes, nodeId, groupInitialRebalanceDelayMs,
                groupMinSessionTimeoutMs, groupMaxSessionTimeoutMs);
    }

    public KafkaServerOptions withDefaultPartitions(int partitions) {
        return new KafkaServerOptions(host, port, advertisedHost, autoCreateTopics, partitions,
                maxRequestBytes, nodeId, groupInitialRebalanceDelayMs,
                groupMinSessionTimeoutMs, groupMaxSessionTimeoutMs);
    }

    public KafkaServerOptions withMaxRequestBytes(int bytes) {
        return new KafkaServerOptions(host, port, advertisedHost, autoCreateTopics, defaultPartitions,
                bytes, nodeId, groupInitialRebalanceDelayMs,
                groupMinSessionTimeoutMs, groupMaxSessionTimeoutMs);
    }

    public KafkaServerOptions withNodeId(int id) {
        return new KafkaServerOptions(host, port, advertisedHost, autoCreateTopics, defaultPartitions,
                maxRequestBytes, id, groupInitialRebalanceDelayMs,
                groupMinSessionTimeoutMs, groupMaxSessionTimeoutMs);
    }

    public KafkaServerOptions withGroupInitialRebalanceDelayMs(int delayMs) {
        return new KafkaServerOptions(host, port, advertisedHost, autoCreateTopics, defaultPartitions,
                maxRequestBytes, nodeId, delayMs, groupMinSessionTimeoutMs, groupMaxSessionTimeoutMs);
    }

    /** Both bounds of the session timeout a joining consumer may ask for. */
    public KafkaServerOptions withGroupSessionTimeoutRange(int minMs, int maxMs) {
        return new KafkaServerOptions(host, port, advertisedHost, autoCreateTopics, defaultPartitions,
                maxRequestBytes, nodeId, groupInitialRebalanceDelayMs, minMs, maxMs);
    }
}
