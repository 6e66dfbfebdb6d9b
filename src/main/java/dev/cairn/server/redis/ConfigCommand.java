package dev.cairn.server.redis;

import dev.cairn.dictionary.BinaryKeys;
import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.Glob;
import dev.cairn.dictionary.command.Arguments;
import dev.cairn.dictionary.command.CommandException;
import dev.cairn.dictionary.command.Reply;
import dev.cairn.dictionary.command.Session;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * CONFIG GET, SET, RESETSTAT, REWRITE and HELP over the settings Cairn has. GET answers every
 * matching parameter (a map under RESP3); SET changes the settable ones ({@code requirepass},
 * {@code maxclients}, {@code timeout}, {@code notify-keyspace-events}) and accepts any other known parameter only at its
 * current value, refusing a change Cairn cannot make with Redis's error shape.
 */
final class ConfigCommand {
    private static final java.util.Set<String> SETTABLE = java.util.Set.of("requirepass", "maxclients", "timeout",
            "notify-keyspace-events");

    private ConfigCommand() {
    }

    static void execute(Session s, Arguments a, Reply r) {
        ClientConnection client = (ClientConnection) s;
        if (a.is(1, "GET") && a.count() >= 3) {
            Map<String, String> all = parameters(client.server);
            Map<String, String> matched = new LinkedHashMap<>();
            for (int i = 2; i < a.count(); i++) {
                byte[] pattern = a.text(i).toLowerCase(Locale.ROOT).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                all.forEach((name, value) -> {
                    if (Glob.matches(pattern, BinaryKeys.toBytes(name))) {
                        matched.put(name, value);
                    }
                });
            }
            r.writeMapLength(matched.size());
            matched.forEach((name, value) -> {
                r.writeBulk(name);
                r.writeBulk(value);
            });
        } else if (a.is(1, "SET") && a.count() >= 4 && a.count() % 2 == 0) {
            set(client, a);
            r.writeSimpleString("OK");
        } else if (a.is(1, "RESETSTAT") && a.count() == 2) {
            client.server.commandsProcessed.set(0);
            client.server.connectionsReceived.set(0);
            client.server.rejectedConnections.set(0);
            for (Dictionary database : client.server.openDatabases()) {
                if (database != null) {
                    database.resetStats();
                }
            }
            r.writeSimpleString("OK");
        } else if (a.is(1, "REWRITE") && a.count() == 2) {
            throw new CommandException("ERR The server is running without a config file");
        } else {
            throw ClientCommand.unknownSubcommand(a, "CONFIG");
        }
    }

    private static void set(ClientConnection client, Arguments a) {
        ServerState server = client.server;
        Map<String, String> current = parameters(server);
        Map<String, String> changes = new LinkedHashMap<>();
        for (int i = 2; i < a.count(); i += 2) {
            String name = a.text(i).toLowerCase(Locale.ROOT);
            String value = a.text(i + 1);
            if (!current.containsKey(name)) {
                throw new CommandException("ERR Unknown option or number of arguments for CONFIG SET - '" + a.text(i)
                        + "'");
            }
            if (!SETTABLE.contains(name) && !current.get(name).equals(value)) {
                throw new CommandException("ERR CONFIG SET failed (possibly related to argument '" + name
                        + "') - Cairn cannot change it while running");
            }
            changes.put(name, value);
        }
        // Check every value before changing any, as Redis applies all or none.
        long maxClients = server.maxClients;
        long timeout = server.idleTimeoutSeconds;
        if (changes.containsKey("maxclients")) {
            maxClients = number(changes.get("maxclients"), "maxclients", 1, Integer.MAX_VALUE);
        }
        if (changes.containsKey("timeout")) {
            timeout = number(changes.get("timeout"), "timeout", 0, Integer.MAX_VALUE);
        }
        int notifyFlags = server.notifier.flags();
        if (changes.containsKey("notify-keyspace-events")) {
            try {
                notifyFlags = KeyspaceEventFlags.parse(changes.get("notify-keyspace-events"));
            } catch (IllegalArgumentException e) {
                throw new CommandException("ERR CONFIG SET failed (possibly related to argument "
                        + "'notify-keyspace-events') - " + KeyspaceEventFlags.INVALID);
            }
        }
        server.notifier.flags(notifyFlags);
        server.maxClients = (int) maxClients;
        server.idleTimeoutSeconds = timeout;
        if (changes.containsKey("requirepass")) {
            String password = changes.get("requirepass");
            server.password = password.isEmpty() ? null : password;
        }
    }

    private static long number(String text, String name, long min, long max) {
        Long value = Arguments.parseLong(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (value == null || value < min || value > max) {
            throw new CommandException("ERR CONFIG SET failed (possibly related to argument '" + name
                    + "') - argument couldn't be parsed into an integer");
        }
        return value;
    }

    /** Every parameter CONFIG GET knows, with its current value. */
    static Map<String, String> parameters(ServerState server) {
        Map<String, String> p = new LinkedHashMap<>();
        boolean persistent = server.dictionary.stats().persistent();
        p.put("bind", server.options.host());
        p.put("port", Integer.toString(server.port));
        p.put("requirepass", server.password == null ? "" : server.password);
        p.put("maxclients", Integer.toString(server.maxClients));
        p.put("timeout", Long.toString(server.idleTimeoutSeconds));
        p.put("databases", Integer.toString(dev.cairn.Cairn.DATABASES));
        p.put("appendonly", persistent ? "yes" : "no");
        p.put("appendfsync", switch (server.cairn.defaultDurability()) {
            case ALWAYS -> "always";
            case EVERY_SECOND -> "everysec";
            case NONE -> "no";
        });
        p.put("save", "");
        p.put("dir", server.cairn.isInMemory() ? "" : server.cairn.directory().toAbsolutePath().toString());
        p.put("proto-max-bulk-len", Long.toString(server.options.limits().maxBulkBytes()));
        p.put("client-query-buffer-limit", Long.toString(server.options.limits().queryBufferLimitBytes()));
        p.put("maxmemory", "0");
        p.put("maxmemory-policy", "noeviction");
        p.put("notify-keyspace-events", KeyspaceEventFlags.format(server.notifier.flags()));
        p.put("hash-max-listpack-entries", "128");
        p.put("hash-max-listpack-value", "64");
        p.put("set-max-intset-entries", "512");
        p.put("zset-max-listpack-entries", "128");
        p.put("zset-max-listpack-value", "64");
        p.put("list-max-listpack-size", "-2");
        return p;
    }
}
