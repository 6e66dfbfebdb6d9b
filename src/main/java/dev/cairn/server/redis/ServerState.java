package dev.cairn.server.redis;

import dev.cairn.Cairn;
import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.command.CommandTable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every connection of one {@link RedisServer} shares: the store, the command table, the
 * connected clients, pub/sub subscriptions, counters for INFO, and the settings CONFIG SET may
 * change.
 *
 * <p>Thread-safe: the maps are concurrent, the counters atomic, the settings volatile.
 */
final class ServerState {
    final Cairn cairn;
    final Dictionary dictionary;
    final RedisServerOptions options;
    final CommandDispatcher dispatcher;
    final PubSub pubSub = new PubSub();
    /** CLIENT PAUSE's state. */
    final ClientPause pause = new ClientPause();
    /** Publishes keyspace notifications; set up last in the constructor. */
    final KeyspaceNotifier notifier;
    final Map<Long, ClientConnection> clients = new ConcurrentHashMap<>();
    final AtomicLong nextClientId = new AtomicLong(1);
    final AtomicLong commandsProcessed = new AtomicLong();
    final AtomicLong connectionsReceived = new AtomicLong();
    final AtomicLong rejectedConnections = new AtomicLong();
    /** Clients waiting in a blocking command; guarded by itself, notified on every change. */
    private int blockedClients;
    final long startMillis = System.currentTimeMillis();
    final long startNanos = System.nanoTime();
    volatile String password;
    volatile long idleTimeoutSeconds;
    volatile int maxClients;
    volatile int port;
    /** Unix seconds of the last successful SAVE or BGSAVE, as LASTSAVE reports. */
    volatile long lastSaveSeconds = System.currentTimeMillis() / 1000;
    volatile boolean backgroundSaveRunning;

    /** Counts a client starting ({@code +1}) or ending ({@code -1}) a blocking command's wait. */
    void blockedClientsChange(int delta) {
        synchronized (this) {
            blockedClients += delta;
            notifyAll();
        }
    }

    synchronized int blockedClients() {
        return blockedClients;
    }

    /** Waits until {@code count} clients are blocked; false if {@code timeoutNanos} passed first. */
    synchronized boolean awaitBlockedClients(int count, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (blockedClients != count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** Database {@code index} of the Cairn (SELECT's numbering), opened on first use. */
    Dictionary database(int index) {
        return cairn.dictionary(index);
    }

    /** The databases opened so far, by index; null where not opened. */
    Dictionary[] openDatabases() {
        Dictionary[] open = new Dictionary[Cairn.DATABASES];
        for (int i = 0; i < open.length; i++) {
            if (cairn.isOpen(i)) {
                open[i] = cairn.dictionary(i);
            }
        }
        return open;
    }

    ServerState(Cairn cairn, RedisServerOptions options) {
        this.cairn = cairn;
        this.dictionary = cairn.dictionary();
        this.options = options;
        this.password = options.password();
        this.idleTimeoutSeconds = options.idleTimeout().toSeconds();
        this.maxClients = options.maxClients();
        this.dispatcher = new CommandDispatcher(ServerCommands.table(CommandTable.dictionary()));
        this.notifier = new KeyspaceNotifier(this);
        notifier.flags(KeyspaceEventFlags.parse(options.notifyKeyspaceEvents()));
    }
}
