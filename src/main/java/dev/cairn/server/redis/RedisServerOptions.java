package dev.cairn.server.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link RedisServer} listens and what it allows, with Redis's defaults where Redis has a
 * setting of the same meaning. Immutable; change a field with its {@code with...} method.
 *
 * @param host             the address to bind, {@code 127.0.0.1} by default (Redis's {@code bind})
 * @param port             the port, 6379 by default; 0 picks a free one ({@link RedisServer#port()} tells which)
 * @param password         the password clients must give with AUTH or HELLO, or null for none ({@code requirepass})
 * @param limits           the request limits ({@code proto-max-bulk-len}, {@code client-query-buffer-limit})
 * @param maxClients       the most connections at once; one more is refused with Redis's error ({@code maxclients})
 * @param idleTimeout      a client idle this long is closed; {@link Duration#ZERO} never ({@code timeout})
 * @param pubSubOutputLimitBytes a pub/sub client whose unsent replies pass this many bytes is
 *                         closed (Redis's hard {@code client-output-buffer-limit pubsub}, 32 MiB)
 * @param notifyKeyspaceEvents the keyspace notifications published, in the letters of Redis's
 *                         {@code notify-keyspace-events} (e.g. {@code "KEA"}, {@code "Ex"}); empty (the
 *                         default) for none. CONFIG SET may change it while the server runs.
 */
public record RedisServerOptions(String host, int port, String password, RespLimits limits, int maxClients,
        Duration idleTimeout, long pubSubOutputLimitBytes, String notifyKeyspaceEvents) {

    /** Redis's defaults: 127.0.0.1:6379, no password, 10,000 clients, no idle timeout. */
    public static final RedisServerOptions DEFAULT = new RedisServerOptions("127.0.0.1", 6379, null,
            RespLimits.defaults(), 10_000, Duration.ZERO, 32L * 1024 * 1024, "");

    public RedisServerOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(notifyKeyspaceEvents, "notifyKeyspaceEvents");
        KeyspaceEventFlags.parse(notifyKeyspaceEvents);
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
        }
        if (maxClients < 1) {
            throw new IllegalArgumentException("maxClients must be at least 1, got " + maxClients);
        }
        if (idleTimeout.isNegative()) {
            throw new IllegalArgumentException("idleTimeout must not be negative, got " + idleTimeout);
        }
        if (pubSubOutputLimitBytes < 1) {
            throw new IllegalArgumentException("pubSubOutputLimitBytes must be positive, got " + pubSubOutputLimitBytes);
        }
    }

    public RedisServerOptions withHost(String newHost) {
        return new RedisServerOptions(newHost, port, password, limits, maxClients, idleTimeout, pubSubOutputLimitBytes,
                notifyKeyspaceEvents);
    }

    public RedisServerOptions withPort(int newPort) {
        return new RedisServerOptions(host, newPort, password, limits, maxClients, idleTimeout, pubSubOutputLimitBytes,
                notifyKeyspaceEvents);
    }

    public RedisServerOptions withPassword(String newPassword) {
        return new RedisServerOptions(host, port, newPassword, limits, maxClients, idleTimeout, pubSubOutputLimitBytes,
                notifyKeyspaceEvents);
    }

    public RedisServerOptions withLimits(RespLimits newLimits) {
        return new RedisServerOptions(host, port, password, newLimits, maxClients, idleTimeout, pubSubOutputLimitBytes,
                notifyKeyspaceEvents);
    }

    public RedisServerOptions withMaxClients(int newMaxClients) {
        return new RedisServerOptions(host, port, password, limits, newMaxClients, idleTimeout, pubSubOutputLimitBytes,
                notifyKeyspaceEvents);
    }

    public RedisServerOptions withIdleTimeout(Duration newIdleTimeout) {
        return new RedisServerOptions(host, port, password, limits, maxClients, newIdleTimeout, pubSubOutputLimitBytes,
                notifyKeyspaceEvents);
    }

    public RedisServerOptions withPubSubOutputLimitBytes(long newLimit) {
        return new RedisServerOptions(host, port, password, limits, maxClients, idleTimeout, newLimit, notifyKeyspaceEvents);
    }

    /**
     * The keyspace notifications to publish, as Redis's {@code notify-keyspace-events} letters.
     *
     * @throws IllegalArgumentException if a letter is not one of {@code Ag$lshzxeKEtmdn}
     */
    public RedisServerOptions withNotifyKeyspaceEvents(String newEvents) {
        return new RedisServerOptions(host, port, password, limits, maxClients, idleTimeout, pubSubOutputLimitBytes,
                newEvents);
    }
}
