package dev.cairn.server.redis;

import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.Watch;
import dev.cairn.dictionary.command.CommandFlag;
import dev.cairn.dictionary.command.CommandSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One connection's MULTI, EXEC, DISCARD, WATCH and UNWATCH, as Redis's {@code multi.c}: the queue
 * of commands since MULTI, whether one was refused while queueing (EXEC then aborts), and the
 * watch. EXEC runs the queue as one {@linkplain Dictionary#exclusive exclusive block} (with the
 * watch, if any): no other command runs in between, a failing command fails alone, and the
 * append-only file gets them as one entry.
 *
 * <p>Not thread-safe: confined to the connection's event loop.
 */
final class ClientTransaction {
    private final ClientConnection client;
    /** The commands queued since MULTI; null outside MULTI. */
    private List<byte[][]> queued;
    /** A command was refused while queueing: EXEC will abort. */
    private boolean queueFailed;
    private Watch watch;
    /** The database the watch is in. */
    private int watchDb;
    /** A watch replaced by a wider one had already seen a write: EXEC will abort. */
    private boolean watchDirty;

    ClientTransaction(ClientConnection client) {
        this.client = client;
    }

    boolean inMulti() {
        return queued != null;
    }

    /** The number of queued commands, -1 outside MULTI (CLIENT LIST's {@code multi}). */
    int queuedCount() {
        return queued == null ? -1 : queued.size();
    }

    void queue(byte[][] args) {
        queued.add(args);
    }

    /** A command was refused: inside MULTI, EXEC will abort. */
    void refuseQueued() {
        queueFailed |= inMulti();
    }

    /** Whether the queue holds a write command (an EXEC that a WRITE pause holds). */
    boolean queuedWrites() {
        if (queued == null) {
            return false;
        }
        for (byte[][] args : queued) {
            CommandSpec spec = client.server.dispatcher.table().find(args[0]);
            if (spec != null && spec.is(CommandFlag.WRITE)) {
                return true;
            }
        }
        return false;
    }

    /** RESET: out of MULTI, without a watch. */
    void reset() {
        queued = null;
        queueFailed = false;
        closeWatch();
    }

    void multi() {
        if (inMulti()) {
            client.out().writeError("ERR MULTI calls can not be nested");
            return;
        }
        queued = new ArrayList<>();
        queueFailed = false;
        client.out().writeSimpleString("OK");
    }

    void discard() {
        if (!inMulti()) {
            client.out().writeError("ERR DISCARD without MULTI");
            return;
        }
        queued = null;
        queueFailed = false;
        closeWatch();
        client.out().writeSimpleString("OK");
    }

    void watch(String[] keys) {
        if (inMulti()) {
            client.out().writeError("ERR WATCH inside MULTI is not allowed");
            return;
        }
        // A new watch over every key watched so far; writes before it are caught by the old one.
        LinkedHashSet<String> all = new LinkedHashSet<>();
        if (watch != null && watchDb == client.db) {
            all.addAll(watch.keys());
        }
        all.addAll(List.of(keys));
        if (watch != null && watchDb != client.db) {
            // Keys watched in another database stay watched there; their changes so far count.
            watchDirty |= watch.changed();
            watch.close();
            watch = null;
        }
        Watch next = client.server.database(client.db).watch(all.toArray(new String[0]));
        watchDb = client.db;
        if (watch != null) {
            watchDirty |= watch.changed();
            watch.close();
        }
        watch = next;
        client.out().writeSimpleString("OK");
    }

    void unwatch() {
        closeWatch();
        client.out().writeSimpleString("OK");
    }

    void closeWatch() {
        if (watch != null) {
            watch.close();
            watch = null;
        }
        watchDirty = false;
    }

    void exec() {
        if (!inMulti()) {
            client.out().writeError("ERR EXEC without MULTI");
            return;
        }
        List<byte[][]> commands = queued;
        queued = null;
        if (queueFailed) {
            queueFailed = false;
            closeWatch();
            client.out().writeError("EXECABORT Transaction discarded because of previous errors.");
            return;
        }
        Watch watched = watch;
        boolean dirty = watchDirty;
        watch = null;
        watchDirty = false;
        if (watched != null && watchDb != client.db) {
            // Watched in another database than EXEC runs in: judged now, just before the block.
            dirty = watched.changed();
            watched.close();
            watched = null;
        }
        if (dirty) {
            if (watched != null) {
                watched.close();
            }
            client.out().writeNullArray();
            return;
        }
        Function<dev.cairn.dictionary.Transaction, Boolean> block = tx -> {
            client.execViews = tx;
            try {
                client.out().writeArrayLength(commands.size());
                for (byte[][] args : commands) {
                    CommandSpec spec = client.server.dispatcher.table().find(args[0]);
                    CommandDispatcher.run(spec, client, args, client.out());
                }
            } finally {
                client.execViews = null;
            }
            return Boolean.TRUE;
        };
        Dictionary database = client.server.database(client.db);
        Optional<Boolean> ran = watched == null ? Optional.of(database.exclusive(block))
                : database.exclusive(watched, block);
        if (ran.isEmpty()) {
            client.out().writeNullArray();
        }
    }
}
