package dev.cairn.server.redis;

import dev.cairn.dictionary.BinaryKeys;
import dev.cairn.dictionary.Glob;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The server's channels and patterns and who subscribes to them. PUBLISH hands each message to
 * every subscriber of the channel and of each matching pattern, in that order, as Redis does; a
 * subscriber writes it on its own event loop.
 *
 * <p>Thread-safe: every method synchronizes on this object; deliveries are handed off and do not
 * write while the lock is held.
 */
final class PubSub {
    private final Map<String, Set<ClientConnection>> channels = new TreeMap<>();
    private final Map<String, Set<ClientConnection>> patterns = new TreeMap<>();

    /** Adds a subscription; returns whether it is new. */
    synchronized boolean subscribe(ClientConnection client, String channel) {
        return channels.computeIfAbsent(channel, c -> new LinkedHashSet<>()).add(client);
    }

    synchronized boolean unsubscribe(ClientConnection client, String channel) {
        return remove(channels, channel, client);
    }

    synchronized boolean psubscribe(ClientConnection client, String pattern) {
        return patterns.computeIfAbsent(pattern, c -> new LinkedHashSet<>()).add(client);
    }

    synchronized boolean punsubscribe(ClientConnection client, String pattern) {
        return remove(patterns, pattern, client);
    }

    private static boolean remove(Map<String, Set<ClientConnection>> map, String name, ClientConnection client) {
        Set<ClientConnection> subscribers = map.get(name);
        if (subscribers == null || !subscribers.remove(client)) {
            return false;
        }
        if (subscribers.isEmpty()) {
            map.remove(name);
        }
        return true;
    }

    /** Sends {@code message} to the subscribers of {@code channel}; returns how many receive it. */
    long publish(byte[] channel, byte[] message) {
        String name = BinaryKeys.fromBytes(channel);
        List<ClientConnection> direct;
        List<Map.Entry<byte[], ClientConnection>> byPattern = new ArrayList<>();
        synchronized (this) {
            Set<ClientConnection> subscribers = channels.get(name);
            direct = subscribers == null ? List.of() : new ArrayList<>(subscribers);
            for (Map.Entry<String, Set<ClientConnection>> entry : patterns.entrySet()) {
                byte[] pattern = BinaryKeys.toBytes(entry.getKey());
                if (Glob.matches(pattern, channel)) {
                    for (ClientConnection client : entry.getValue()) {
                        byPattern.add(Map.entry(pattern, client));
                    }
                }
            }
        }
        for (ClientConnection client : direct) {
            client.deliver(null, channel, message);
        }
        for (Map.Entry<byte[], ClientConnection> entry : byPattern) {
            entry.getValue().deliver(entry.getKey(), channel, message);
        }
        return direct.size() + byPattern.size();
    }

    /** PUBSUB CHANNELS [pattern]: the channels with at least one subscriber. */
    synchronized List<String> channels(byte[] pattern) {
        List<String> names = new ArrayList<>();
        for (String name : channels.keySet()) {
            if (pattern == null || Glob.matches(pattern, BinaryKeys.toBytes(name))) {
                names.add(name);
            }
        }
        return names;
    }

    /** PUBSUB NUMSUB: the subscribers of {@code channel}. */
    synchronized long subscribers(String channel) {
        Set<ClientConnection> subscribers = channels.get(channel);
        return subscribers == null ? 0 : subscribers.size();
    }

    /** PUBSUB NUMPAT: the number of patterns subscribed to. */
    synchronized long patternCount() {
        return patterns.size();
    }
}
