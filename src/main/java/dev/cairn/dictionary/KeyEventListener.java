package dev.cairn.dictionary;

/**
 * Receives the dictionary's key events: for every change a command makes, the event Redis 7.0's
 * keyspace notifications name for it ({@code set}, {@code lpush}, {@code del}, {@code expired},
 * ...), in the order Redis emits them. Register one with
 * {@link Dictionary#addKeyEventListener(KeyEventListener)}.
 *
 * <p><b>Threading.</b> Events are delivered synchronously, on the thread that ran the command (or
 * on the expiry sweeper's thread for keys it removes), while that thread holds the dictionary's
 * command lock: every listener sees the events of one command after those of every command before
 * it, and no command runs until the listener returns. A listener must therefore be quick and must
 * not block, and it must not call the dictionary (a call from the same thread would run inside the
 * command being reported; one handed to another thread and awaited would deadlock). Hand events
 * to a queue or another thread if there is real work to do. A listener that throws does not undo
 * the command: the exception is dropped after the other listeners ran.
 *
 * <p><b>Transactions.</b> The events of a {@link Dictionary#transaction transaction} are delivered
 * when it commits, and never if it is undone. Those of an {@link Dictionary#exclusive exclusive}
 * block are delivered as its commands run.
 */
@FunctionalInterface
public interface KeyEventListener {

    /**
     * One event.
     *
     * @param eventClass the class of the event, for filtering
     * @param event      Redis's name of the event, e.g. {@code "incrby"} or {@code "rename_to"}
     * @param key        the key concerned (see {@link BinaryKeys} for keys that are not text)
     */
    void onKeyEvent(KeyEventClass eventClass, String event, String key);
}
