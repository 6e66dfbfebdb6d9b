package dev.cairn.server.redis;

import dev.cairn.dictionary.command.Arguments;
import dev.cairn.dictionary.command.CommandException;
import dev.cairn.dictionary.command.Reply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SAVE, BGSAVE and BGREWRITEAOF, all on the dictionary's snapshot: writing one also drops the
 * append-only file before it, which is what Redis's AOF rewrite achieves.
 */
final class SaveCommands {
    private static final Logger LOG = LoggerFactory.getLogger(SaveCommands.class);

    private SaveCommands() {
    }

    static void save(ClientConnection client) {
        ServerState server = client.server;
        if (!server.dictionary.stats().persistent()) {
            throw new CommandException("ERR the dictionary is in memory: there is nothing to save to");
        }
        snapshotAll(server);
        server.lastSaveSeconds = System.currentTimeMillis() / 1000;
    }

    /** Snapshots every open database. */
    private static void snapshotAll(ServerState server) {
        for (dev.cairn.dictionary.Dictionary database : server.openDatabases()) {
            if (database != null) {
                database.snapshot();
            }
        }
    }

    /** BGSAVE [SCHEDULE] and BGREWRITEAOF: the snapshot runs on a thread of its own. */
    static void background(ClientConnection client, Arguments a, Reply r, String started) {
        if (a.count() > 2 || (a.count() == 2 && !a.is(1, "SCHEDULE"))) {
            throw Arguments.syntax();
        }
        ServerState server = client.server;
        if (!server.dictionary.stats().persistent()) {
            throw new CommandException("ERR the dictionary is in memory: there is nothing to save to");
        }
        synchronized (server) {
            if (server.backgroundSaveRunning) {
                throw new CommandException("ERR Background save already in progress");
            }
            server.backgroundSaveRunning = true;
        }
        Thread thread = new Thread(() -> {
            try {
                snapshotAll(server);
                server.lastSaveSeconds = System.currentTimeMillis() / 1000;
            } catch (RuntimeException e) {
                LOG.warn("background save failed", e);
            } finally {
                server.backgroundSaveRunning = false;
            }
        }, "cairn-redis-bgsave");
        thread.setDaemon(true);
        thread.start();
        r.writeSimpleString(started);
    }
}
