package dev.cairn.dictionary.internal;

import dev.cairn.dictionary.KeyEventClass;
import dev.cairn.dictionary.KeyEventListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registered {@link KeyEventListener}s of one dictionary and the events a transaction holds
 * back. The {@link Engine} keeps one only while a listener is registered (its field is null
 * otherwise), so a command that nobody listens to pays one null check per event it would emit and
 * builds nothing.
 *
 * <p>Events reach the listeners in the order they are emitted, at once, except inside a
 * transaction that undoes on failure: there they are held until it commits ({@link #release}) or
 * dropped when it is undone ({@link #drop}).
 *
 * <p>Not thread-safe: every method runs under the engine's command lock. The listener array is
 * replaced, never changed, so a delivery loop is not disturbed by a listener that (against its
 * contract) registers another.
 */
final class KeyEvents {
    private static final Logger LOG = LoggerFactory.getLogger(KeyEvents.class);

    private KeyEventListener[] listeners;
    /** Held events of the running transaction, three slots each: class, name, key. */
    private final List<Object> held = new ArrayList<>();

    KeyEvents(KeyEventListener first) {
        listeners = new KeyEventListener[] {first};
    }

    void add(KeyEventListener listener) {
        listeners = Arrays.copyOf(listeners, listeners.length + 1);
        listeners[listeners.length - 1] = listener;
    }

    /** Removes one registration of {@code listener}; returns whether there was one. */
    boolean remove(KeyEventListener listener) {
        for (int i = 0; i < listeners.length; i++) {
            if (listeners[i] == listener) {
                KeyEventListener[] fewer = new KeyEventListener[listeners.length - 1];
                System.arraycopy(listeners, 0, fewer, 0, i);
                System.arraycopy(listeners, i + 1, fewer, i, fewer.length - i);
                listeners = fewer;
                return true;
            }
        }
        return false;
    }

    boolean isEmpty() {
        return listeners.length == 0;
    }

    /** Delivers one event now, or holds it if {@code hold} (inside an undoable transaction). */
    void emit(KeyEventClass eventClass, String event, String key, boolean hold) {
        if (hold) {
            held.add(eventClass);
            held.add(event);
            held.add(key);
        } else {
            deliver(eventClass, event, key);
        }
    }

    /** Delivers the events held by the transaction that just committed. */
    void release() {
        for (int i = 0; i < held.size(); i += 3) {
            deliver((KeyEventClass) held.get(i), (String) held.get(i + 1), (String) held.get(i + 2));
        }
        held.clear();
    }

    /** Forgets the events held by the transaction that was undone. */
    void drop() {
        held.clear();
    }

    private void deliver(KeyEventClass eventClass, String event, String key) {
        for (KeyEventListener listener : listeners) {
            try {
                listener.onKeyEvent(eventClass, event, key);
            } catch (RuntimeException e) {
                // The command has happened: a failing listener must not make it look failed, nor
                // keep the other listeners from hearing of it.
                LOG.warn("key event listener {} failed on {} {}", listener, event, key, e);
            }
        }
    }
}
