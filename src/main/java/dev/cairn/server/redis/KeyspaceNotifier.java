package dev.cairn.server.redis;

import dev.cairn.Cairn;
import dev.cairn.dictionary.BinaryKeys;
import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.KeyEventClass;
import dev.cairn.dictionary.KeyEventListener;
import java.nio.charset.StandardCharsets;

/**
 * Redis's keyspace notifications: turns the databases' {@link KeyEventListener key events} into
 * PUBLISHes on {@code __keyspace@<db>__:<key>} (message: the event) and then
 * {@code __keyevent@<db>__:<event>} (message: the key), as Redis's {@code notifyKeyspaceEvent}
 * does, for the classes and channels {@code notify-keyspace-events} selects. Writes made through
 * the Java API are published too, since the events come from the dictionaries themselves.
 *
 * <p>While the setting publishes nothing, no listener is registered, so the dictionaries build no
 * events at all. Once it does, a listener is registered on every database (0 to 15, opening those
 * not open yet), since a write may come from any of them.
 *
 * <p>Thread-safe: {@link #flags(int)} and {@link #detach()} synchronize on this object; the
 * listeners read the volatile flags and publish under the command lock of the database that
 * emitted the event (the publish only queues each message on its subscriber's event loop), so
 * subscribers receive a database's events in command order.
 */
final class KeyspaceNotifier {
    private final ServerState server;
    private volatile int flags;
    /** The databases the listeners are registered on; null while detached. Guarded by this. */
    private Dictionary[] attached;
    private final KeyEventListener[] listeners = new KeyEventListener[Cairn.DATABASES];

    KeyspaceNotifier(ServerState server) {
        this.server = server;
        for (int db = 0; db < listeners.length; db++) {
            String prefix = "@" + db + "__:";
            listeners[db] = (eventClass, event, key) -> publish(prefix, eventClass, event, key);
        }
    }

    /** The current flags (see {@link KeyspaceEventFlags}). */
    int flags() {
        return flags;
    }

    /** Applies new flags: registers the listeners if they publish something, removes them if not. */
    synchronized void flags(int newFlags) {
        flags = newFlags;
        if (KeyspaceEventFlags.publishes(newFlags)) {
            if (attached == null) {
                Dictionary[] databases = new Dictionary[Cairn.DATABASES];
                for (int db = 0; db < databases.length; db++) {
                    databases[db] = server.database(db);
                    databases[db].addKeyEventListener(listeners[db]);
                }
                attached = databases;
            }
        } else {
            detach();
        }
    }

    /** Removes the listeners (as the server closes); idempotent. */
    synchronized void detach() {
        if (attached != null) {
            for (int db = 0; db < attached.length; db++) {
                attached[db].removeKeyEventListener(listeners[db]);
            }
            attached = null;
        }
    }

    private void publish(String dbAndSeparator, KeyEventClass eventClass, String event, String key) {
        int current = flags;
        if ((current & KeyspaceEventFlags.of(eventClass)) == 0) {
            return;
        }
        byte[] keyBytes = BinaryKeys.toBytes(key);
        byte[] eventBytes = event.getBytes(StandardCharsets.US_ASCII);
        if ((current & KeyspaceEventFlags.KEYSPACE) != 0) {
            server.pubSub.publish(channel("__keyspace", dbAndSeparator, keyBytes), eventBytes);
        }
        if ((current & KeyspaceEventFlags.KEYEVENT) != 0) {
            server.pubSub.publish(channel("__keyevent", dbAndSeparator, eventBytes), keyBytes);
        }
    }

    private static byte[] channel(String kind, String dbAndSeparator, byte[] name) {
        byte[] head = (kind + dbAndSeparator).getBytes(StandardCharsets.US_ASCII);
        byte[] channel = new byte[head.length + name.length];
        System.arraycopy(head, 0, channel, 0, head.length);
        System.arraycopy(name, 0, channel, head.length, name.length);
        return channel;
    }
}
