package dev.cairn.server.redis;

import static dev.cairn.dictionary.command.CommandFlag.ADMIN;
import static dev.cairn.dictionary.command.CommandFlag.ALLOW_BUSY;
import static dev.cairn.dictionary.command.CommandFlag.FAST;
import static dev.cairn.dictionary.command.CommandFlag.LOADING;
import static dev.cairn.dictionary.command.CommandFlag.NOSCRIPT;
import static dev.cairn.dictionary.command.CommandFlag.NO_AUTH;
import static dev.cairn.dictionary.command.CommandFlag.NO_MULTI;
import static dev.cairn.dictionary.command.CommandFlag.PUBSUB;
import static dev.cairn.dictionary.command.CommandFlag.STALE;
import static dev.cairn.dictionary.command.CommandFlag.WRITE;
import static dev.cairn.dictionary.command.CommandTable.flags;

import dev.cairn.dictionary.BinaryKeys;
import dev.cairn.dictionary.command.Arguments;
import dev.cairn.dictionary.command.CommandException;
import dev.cairn.dictionary.command.CommandTable;
import dev.cairn.dictionary.command.Reply;
import dev.cairn.dictionary.command.Session;
import java.util.List;
import java.util.Set;

/**
 * The commands of the Redis front end itself, added to the dictionary's table: connection
 * (PING, HELLO, AUTH, SELECT, CLIENT, ...), transactions (MULTI, EXEC, WATCH), pub/sub, server
 * (INFO, COMMAND, CONFIG, TIME, SAVE, ...), and the scripting commands, which are refused.
 * Each handler runs on its connection's event loop with the {@link ClientConnection} as session.
 */
final class ServerCommands {
    /** The version Cairn answers as, the Redis release whose behaviour it follows. */
    static final String REDIS_VERSION = "7.0.15";

    private static final Set<String> INSIDE_MULTI = Set.of("exec", "discard", "multi", "watch", "quit", "reset");
    private static final Set<String> WHILE_SUBSCRIBED = Set.of("ping", "subscribe", "unsubscribe", "psubscribe",
            "punsubscribe", "ssubscribe", "sunsubscribe", "quit", "reset");
    private static final String SCRIPTING = "ERR scripting is not supported by Cairn: EVAL, EVALSHA, SCRIPT, FUNCTION"
            + " and FCALL are refused";

    private ServerCommands() {
    }

    /** Commands that run at once inside MULTI instead of being queued, as in Redis. */
    static boolean runsInsideMulti(String name) {
        return INSIDE_MULTI.contains(name);
    }

    /** Commands a RESP2 client may send while it has subscriptions. */
    static boolean allowedWhileSubscribed(String name) {
        return WHILE_SUBSCRIBED.contains(name);
    }

    private static ClientConnection client(Session session) {
        return (ClientConnection) session;
    }

    /** {@code base} plus the front end's commands. */
    static CommandTable table(CommandTable base) {
        CommandTable.Builder b = CommandTable.builder(base);
        b.add("ping", -1, "connection", flags(FAST), 0, 0, 0, ServerCommands::ping);
        b.add("echo", 2, "connection", flags(FAST), 0, 0, 0, (s, a, r) -> r.writeBulk(a.bytes(1)));
        b.add("quit", -1, "connection", flags(ALLOW_BUSY, NOSCRIPT, LOADING, STALE, FAST, NO_AUTH), 0, 0, 0,
                (s, a, r) -> {
                    r.writeSimpleString("OK");
                    client(s).closeAfterReply();
                });
        b.add("reset", 1, "connection", flags(NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY), 0, 0, 0,
                (s, a, r) -> client(s).reset());
        b.add("select", 2, "connection", flags(LOADING, STALE, FAST), 0, 0, 0, (s, a, r) -> {
            client(s).db = databaseIndex(a.integer(1));
            r.writeSimpleString("OK");
        });
        b.add("auth", -2, "connection", flags(NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY), 0, 0, 0,
                ServerCommands::auth);
        b.add("hello", -1, "connection", flags(NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY), 0, 0, 0,
                ServerCommands::hello);
        b.add("client", -2, "connection", flags(NOSCRIPT, LOADING, STALE), 0, 0, 0, ClientCommand::execute);

        b.add("multi", 1, "transactions", flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY), 0, 0, 0,
                (s, a, r) -> client(s).transaction().multi());
        b.add("exec", 1, "transactions", flags(NOSCRIPT, LOADING, STALE), 0, 0, 0, (s, a, r) -> client(s).transaction().exec());
        b.add("discard", 1, "transactions", flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY), 0, 0, 0,
                (s, a, r) -> client(s).transaction().discard());
        b.add("watch", -2, "transactions", flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY), 1, -1, 1,
                (s, a, r) -> client(s).transaction().watch(a.keysFrom(1)));
        b.add("unwatch", 1, "transactions", flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY), 0, 0, 0,
                (s, a, r) -> client(s).transaction().unwatch());

        b.add("subscribe", -2, "pubsub", flags(PUBSUB, NOSCRIPT, LOADING, STALE), 0, 0, 0,
                (s, a, r) -> PubSubCommands.subscribe(client(s), a, false));
        b.add("psubscribe", -2, "pubsub", flags(PUBSUB, NOSCRIPT, LOADING, STALE), 0, 0, 0,
                (s, a, r) -> PubSubCommands.subscribe(client(s), a, true));
        b.add("unsubscribe", -1, "pubsub", flags(PUBSUB, NOSCRIPT, LOADING, STALE), 0, 0, 0,
                (s, a, r) -> PubSubCommands.unsubscribe(client(s), a, false));
        b.add("punsubscribe", -1, "pubsub", flags(PUBSUB, NOSCRIPT, LOADING, STALE), 0, 0, 0,
                (s, a, r) -> PubSubCommands.unsubscribe(client(s), a, true));
        b.add("publish", 3, "pubsub", flags(PUBSUB, LOADING, STALE, FAST), 0, 0, 0,
                (s, a, r) -> r.writeInteger(client(s).server.pubSub.publish(a.bytes(1), a.bytes(2))));
        b.add("pubsub", -2, "pubsub", flags(LOADING, STALE), 0, 0, 0, PubSubCommands::pubsub);

        b.add("info", -1, "server", flags(LOADING, STALE), 0, 0, 0,
                (s, a, r) -> r.writeVerbatim("txt", ServerInfo.info(client(s), a)));
        b.add("command", -1, "server", flags(LOADING, STALE), 0, 0, 0, CommandReport::execute);
        b.add("config", -2, "server", flags(ADMIN, NOSCRIPT, LOADING, STALE), 0, 0, 0, ConfigCommand::execute);
        b.add("time", 1, "server", flags(LOADING, STALE, FAST), 0, 0, 0, (s, a, r) -> {
            long micros = java.time.Clock.systemUTC().instant().toEpochMilli() * 1000
                    + (System.nanoTime() / 1000) % 1000;
            r.writeArrayLength(2);
            r.writeBulk(Long.toString(micros / 1_000_000));
            r.writeBulk(Long.toString(micros % 1_000_000));
        });
        b.add("save", 1, "server", flags(ADMIN, NOSCRIPT, NO_MULTI), 0, 0, 0, (s, a, r) -> {
            SaveCommands.save(client(s));
            r.writeSimpleString("OK");
        });
        b.add("bgsave", -1, "server", flags(ADMIN, NOSCRIPT), 0, 0, 0,
                (s, a, r) -> SaveCommands.background(client(s), a, r, "Background saving started"));
        b.add("bgrewriteaof", 1, "server", flags(ADMIN, NOSCRIPT), 0, 0, 0,
                (s, a, r) -> SaveCommands.background(client(s), a, r,
                        "Background append only file rewriting started"));
        b.add("lastsave", 1, "server", flags(LOADING, STALE, FAST), 0, 0, 0,
                (s, a, r) -> r.writeInteger(client(s).server.lastSaveSeconds));
        b.add("swapdb", 3, "server", flags(WRITE, FAST), 0, 0, 0, (s, a, r) -> {
            int first = databaseIndex(a.integer(1, "ERR invalid first DB index"));
            int second = databaseIndex(a.integer(2, "ERR invalid second DB index"));
            if (first != second) {
                throw new CommandException("ERR SWAPDB is not supported by Cairn: each database keeps its own files");
            }
            r.writeSimpleString("OK");
        });
        b.add("move", 3, "generic", flags(WRITE, FAST), 1, 1, 1, ServerCommands::move);
        // FLUSHALL empties every database; the table's own (which recovery replays) empties one.
        b.replace(new dev.cairn.dictionary.command.CommandSpec("flushall", -1, flags(WRITE), 0, 0, 0, "server",
                (s, a, r) -> {
                    if (a.count() > 2 || (a.count() == 2 && !a.is(1, "ASYNC") && !a.is(1, "SYNC"))) {
                        throw Arguments.syntax();
                    }
                    ClientConnection client = client(s);
                    for (int i = 0; i < dev.cairn.Cairn.DATABASES; i++) {
                        if (i == client.db) {
                            s.views().keys().flush();
                        } else if (client.server.cairn.isOpen(i)) {
                            client.server.database(i).keys().flush();
                        }
                    }
                    r.writeSimpleString("OK");
                }));
        for (String name : List.of("eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro")) {
            b.add(name, -3, "scripting", flags(NOSCRIPT, STALE), 0, 0, 0, ServerCommands::scripting);
        }
        b.add("script", -2, "scripting", flags(NOSCRIPT), 0, 0, 0, ServerCommands::scripting);
        b.add("function", -2, "scripting", flags(NOSCRIPT), 0, 0, 0, ServerCommands::scripting);
        return b.build();
    }

    /** A database index SELECT, MOVE and SWAPDB accept: 0 to 15. */
    private static int databaseIndex(long index) {
        if (index < 0 || index >= dev.cairn.Cairn.DATABASES) {
            throw new CommandException("ERR DB index is out of range");
        }
        return (int) index;
    }

    /**
     * MOVE key db: moves the key, with its deadline, to another database ({@link
     * dev.cairn.dictionary.Dictionary#move}); 0 if it is missing here or present there. Inside
     * MULTI it is refused, since EXEC already holds its database.
     */
    private static void move(Session s, Arguments a, Reply r) {
        ClientConnection client = client(s);
        long index = a.integer(2);
        if (index == client.db) {
            throw new CommandException("ERR source and destination objects are the same");
        }
        int target = databaseIndex(index);
        if (s.views() != s.dictionary()) {
            throw new CommandException("ERR MOVE inside MULTI is not supported by Cairn");
        }
        boolean moved = s.dictionary().move(a.key(1), client.server.database(target));
        r.writeInteger(moved ? 1 : 0);
    }

    private static void scripting(Session s, Arguments a, Reply r) {
        throw new CommandException(SCRIPTING);
    }

    /** PING [message]: PONG, or the message; a RESP2 subscriber gets the array {@code pong, message}. */
    private static void ping(Session s, Arguments a, Reply r) {
        if (a.count() > 2) {
            throw a.wrongArity();
        }
        ClientConnection client = client(s);
        if (client.protocol() == 2 && client.subscribed()) {
            r.writeArrayLength(2);
            r.writeBulk("pong");
            r.writeBulk(a.count() == 2 ? a.bytes(1) : new byte[0]);
        } else if (a.count() == 2) {
            r.writeBulk(a.bytes(1));
        } else {
            r.writeSimpleString("PONG");
        }
    }

    /** AUTH [username] password, against the one user, {@code default}. */
    private static void auth(Session s, Arguments a, Reply r) {
        ClientConnection client = client(s);
        if (a.count() > 3) {
            throw Arguments.syntax();
        }
        String password = client.server.password;
        if (a.count() == 2 && password == null) {
            throw new CommandException("ERR AUTH <password> called without any password configured for the default"
                    + " user. Are you sure your configuration is correct?");
        }
        String user = a.count() == 3 ? a.text(1) : "default";
        if (!credentialsValid(client, user, a.bytes(a.count() - 1))) {
            throw new CommandException("WRONGPASS invalid username-password pair or user is disabled.");
        }
        client.setAuthenticated(true);
        r.writeSimpleString("OK");
    }

    private static boolean credentialsValid(ClientConnection client, String user, byte[] given) {
        if (!"default".equals(user)) {
            return false;
        }
        String password = client.server.password;
        return password == null || java.security.MessageDigest.isEqual(
                password.getBytes(java.nio.charset.StandardCharsets.UTF_8), given);
    }

    /** HELLO [protover [AUTH username password] [SETNAME clientname]]. */
    private static void hello(Session s, Arguments a, Reply r) {
        ClientConnection client = client(s);
        int version = 0;
        int next = 1;
        if (a.count() >= 2) {
            long asked = a.integer(next++, "ERR Protocol version is not an integer or out of range");
            if (asked < 2 || asked > 3) {
                throw new CommandException("NOPROTO unsupported protocol version");
            }
            version = (int) asked;
        }
        String user = null;
        byte[] password = null;
        byte[] name = null;
        for (int j = next; j < a.count(); j++) {
            int more = a.count() - 1 - j;
            if (a.is(j, "AUTH") && more >= 2) {
                user = a.text(j + 1);
                password = a.bytes(j + 2);
                j += 2;
            } else if (a.is(j, "SETNAME") && more >= 1) {
                name = a.bytes(j + 1);
                j++;
            } else {
                throw new CommandException("ERR Syntax error in HELLO option '" + a.text(j) + "'");
            }
        }
        if (user != null) {
            if (!credentialsValid(client, user, password)) {
                throw new CommandException("WRONGPASS invalid username-password pair or user is disabled.");
            }
            client.setAuthenticated(true);
        }
        if (!client.authenticated) {
            throw new CommandException("NOAUTH HELLO must be called with the client already authenticated, otherwise"
                    + " the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select"
                    + " the RESP protocol version at the same time");
        }
        if (name != null) {
            client.name = ClientCommand.checkedName(name);
        }
        if (version != 0) {
            client.setProtocol(version);
        }
        r.writeMapLength(7);
        r.writeBulk("server");
        r.writeBulk("redis");
        r.writeBulk("version");
        r.writeBulk(REDIS_VERSION);
        r.writeBulk("proto");
        r.writeInteger(client.protocol());
        r.writeBulk("id");
        r.writeInteger(client.id);
        r.writeBulk("mode");
        r.writeBulk("standalone");
        r.writeBulk("role");
        r.writeBulk("master");
        r.writeBulk("modules");
        r.writeArrayLength(0);
    }

    /** The bytes of a key or channel name for a reply. */
    static byte[] bytes(String name) {
        return BinaryKeys.toBytes(name);
    }
}
