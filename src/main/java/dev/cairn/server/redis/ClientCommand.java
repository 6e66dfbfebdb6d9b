package dev.cairn.server.redis;

import dev.cairn.dictionary.command.Arguments;
import dev.cairn.dictionary.command.CommandException;
import dev.cairn.dictionary.command.Reply;
import dev.cairn.dictionary.command.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * CLIENT and its subcommands: ID, SETNAME, GETNAME, SETINFO, LIST, INFO, KILL, UNBLOCK, NO-EVICT,
 * NO-TOUCH, REPLY (ON, OFF, SKIP), PAUSE, UNPAUSE, HELP, with Redis's replies and texts
 * ({@code CLIENT LIST}'s line format is the one tools parse).
 */
final class ClientCommand {
    private ClientCommand() {
    }

    static CommandException unknownSubcommand(Arguments a, String command) {
        return new CommandException("ERR unknown subcommand '" + cut(a.text(1)) + "'. Try " + command + " HELP.");
    }

    private static CommandException arity(Arguments a, String command) {
        return new CommandException("ERR wrong number of arguments for '" + command + "|"
                + a.text(1).toLowerCase(Locale.ROOT) + "' command");
    }

    private static String cut(String text) {
        return text.length() > 128 ? text.substring(0, 128) : text;
    }

    static void execute(Session s, Arguments a, Reply r) {
        ClientConnection client = (ClientConnection) s;
        int n = a.count();
        if (a.is(1, "ID")) {
            need(a, n == 2);
            r.writeInteger(client.id);
        } else if (a.is(1, "SETNAME")) {
            need(a, n == 3);
            client.name = checkedName(a.bytes(2));
            r.writeSimpleString("OK");
        } else if (a.is(1, "GETNAME")) {
            need(a, n == 2);
            if (client.name.isEmpty()) {
                r.writeNullBulk();
            } else {
                r.writeBulk(client.name);
            }
        } else if (a.is(1, "SETINFO")) {
            need(a, n == 4);
            String value = checkedInfo(a.bytes(3));
            if (a.is(2, "LIB-NAME")) {
                client.libraryName = value;
            } else if (a.is(2, "LIB-VER")) {
                client.libraryVersion = value;
            } else {
                throw new CommandException("ERR Unrecognized option '" + a.text(2) + "'");
            }
            r.writeSimpleString("OK");
        } else if (a.is(1, "LIST")) {
            r.writeVerbatim("txt", list(client, a));
        } else if (a.is(1, "INFO")) {
            need(a, n == 2);
            r.writeVerbatim("txt", line(client) + "\n");
        } else if (a.is(1, "KILL")) {
            kill(client, a, r);
        } else if (a.is(1, "UNBLOCK")) {
            need(a, n == 3 || n == 4);
            long id = a.integer(2);
            boolean error = false;
            if (n == 4) {
                if (a.is(3, "ERROR")) {
                    error = true;
                } else if (!a.is(3, "TIMEOUT")) {
                    throw new CommandException("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
                }
            }
            ClientConnection target = client.server.clients.get(id);
            r.writeInteger(target != null && target.unblock(error) ? 1 : 0);
        } else if (a.is(1, "NO-EVICT") || a.is(1, "NO-TOUCH")) {
            need(a, n == 3);
            if (!a.is(2, "ON") && !a.is(2, "OFF")) {
                throw Arguments.syntax();
            }
            r.writeSimpleString("OK");
        } else if (a.is(1, "REPLY")) {
            need(a, n == 3);
            if (!a.is(2, "ON") && !a.is(2, "OFF") && !a.is(2, "SKIP")) {
                throw Arguments.syntax();
            }
            client.replyMode(a.text(2).toUpperCase(Locale.ROOT));
        } else if (a.is(1, "PAUSE")) {
            need(a, n == 3 || n == 4);
            ClientPause.Mode mode = ClientPause.Mode.ALL;
            if (n == 4) {
                if (a.is(3, "WRITE")) {
                    mode = ClientPause.Mode.WRITE;
                } else if (!a.is(3, "ALL")) {
                    throw new CommandException("ERR CLIENT PAUSE mode must be WRITE or ALL");
                }
            }
            Long timeoutMs = Arguments.parseLong(a.bytes(2));
            if (timeoutMs == null) {
                throw new CommandException("ERR timeout is not an integer or out of range");
            }
            if (timeoutMs < 0) {
                throw new CommandException("ERR timeout is negative");
            }
            client.server.pause.pause(timeoutMs, mode);
            r.writeSimpleString("OK");
        } else if (a.is(1, "UNPAUSE")) {
            need(a, n == 2);
            client.server.pause.unpause();
            r.writeSimpleString("OK");
        } else if (a.is(1, "HELP")) {
            List<String> lines = List.of("CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                    "ID", "    Return the ID of the current connection.",
                    "GETNAME", "    Return the name of the current connection.",
                    "SETNAME <name>", "    Assign the name <name> to the current connection.",
                    "SETINFO <LIB-NAME|LIB-VER> <value>", "    Set client library name or version.",
                    "LIST [TYPE (NORMAL|MASTER|REPLICA|PUBSUB)] [ID id [id ...]]", "    Return information about client connections.",
                    "INFO", "    Return information about the current client connection.",
                    "KILL <ip:port>|ID <id>|ADDR <ip:port>|LADDR <ip:port>|USER <name>|SKIPME (YES|NO)", "    Kill connections.",
                    "PAUSE <timeout> [WRITE|ALL]", "    Suspend all, or just write, clients for <timeout> milliseconds.",
                    "REPLY (ON|OFF|SKIP)", "    Control the replies sent to the current connection.",
                    "UNBLOCK <clientid> [TIMEOUT|ERROR]", "    Unblock the specified blocked client.",
                    "UNPAUSE", "    Stop the current client pause, resuming traffic.",
                    "HELP", "    Print this help.");
            r.writeArrayLength(lines.size());
            for (String line : lines) {
                r.writeSimpleString(line);
            }
        } else {
            throw unknownSubcommand(a, "CLIENT");
        }
    }

    private static void need(Arguments a, boolean arityFits) {
        if (!arityFits) {
            throw arity(a, "client");
        }
    }

    /** A client name as Redis accepts it: printable ASCII without spaces. */
    static String checkedName(byte[] name) {
        for (byte b : name) {
            if (b < '!' || b > '~') {
                throw new CommandException("ERR Client names cannot contain spaces, newlines or special characters.");
            }
        }
        return new String(name, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static String checkedInfo(byte[] value) {
        for (byte b : value) {
            if (b < '!' || b > '~') {
                throw new CommandException("ERR lib-name and lib-ver cannot contain spaces, newlines or special"
                        + " characters.");
            }
        }
        return new String(value, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static String list(ClientConnection client, Arguments a) {
        String type = null;
        List<Long> ids = null;
        for (int i = 2; i < a.count(); i++) {
            if (a.is(i, "TYPE") && i + 1 < a.count()) {
                type = a.text(++i).toLowerCase(Locale.ROOT);
                if (!List.of("normal", "master", "replica", "slave", "pubsub").contains(type)) {
                    throw new CommandException("ERR Unknown client type '" + a.text(i) + "'");
                }
            } else if (a.is(i, "ID") && i + 1 < a.count()) {
                ids = new ArrayList<>();
                for (i++; i < a.count(); i++) {
                    ids.add(a.integer(i, "ERR Invalid client ID"));
                }
            } else {
                throw Arguments.syntax();
            }
        }
        StringBuilder text = new StringBuilder();
        List<ClientConnection> all = new ArrayList<>(client.server.clients.values());
        all.sort((x, y) -> Long.compare(x.id, y.id));
        for (ClientConnection c : all) {
            boolean pubsub = c.subscribed();
            if (type != null && !(type.equals("pubsub") ? pubsub : type.equals("normal") && !pubsub)) {
                continue;
            }
            if (ids != null && !ids.contains(c.id)) {
                continue;
            }
            text.append(line(c)).append('\n');
        }
        return text.toString();
    }

    /** One client as CLIENT LIST describes it. */
    static String line(ClientConnection c) {
        long now = System.currentTimeMillis();
        long idle = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - c.lastActivityNanos);
        String flags = (c.subscribed() ? "P" : "") + (c.inMulti() ? "x" : "") + (c.isBlocked() ? "b" : "");
        return "id=" + c.id + " addr=" + c.address() + " laddr=" + c.localAddress() + " fd=-1 name=" + c.name
                + " age=" + (now - c.createdMillis) / 1000 + " idle=" + idle + " flags=" + (flags.isEmpty() ? "N" : flags)
                + " db=0 sub=" + c.channels.size() + " psub=" + c.patterns.size() + " ssub=0 multi="
                + (c.inMulti() ? c.queuedCount() : -1) + " qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0"
                + " obl=0 oll=0 omem=0 tot-mem=0 events=r cmd=" + c.lastCommand + " user=default redir=-1 resp="
                + c.protocol() + " lib-name=" + c.libraryName + " lib-ver=" + c.libraryVersion;
    }

    /** CLIENT KILL addr | CLIENT KILL [ID id] [ADDR addr] [LADDR addr] [USER name] [TYPE type] [SKIPME yes|no]. */
    private static void kill(ClientConnection client, Arguments a, Reply r) {
        if (a.count() == 3) {
            String addr = a.text(2);
            ClientConnection victim = null;
            for (ClientConnection c : client.server.clients.values()) {
                if (c.address().equals(addr)) {
                    victim = c;
                }
            }
            if (victim == null) {
                throw new CommandException("ERR No such client");
            }
            victim.kill(client);
            r.writeSimpleString("OK");
            return;
        }
        if (a.count() % 2 != 0 || a.count() < 4) {
            throw Arguments.syntax();
        }
        Long id = null;
        String addr = null;
        String laddr = null;
        String user = null;
        String type = null;
        boolean skipMe = true;
        for (int i = 2; i < a.count(); i += 2) {
            if (a.is(i, "ID")) {
                id = a.integer(i + 1, "ERR client-id should be greater than 0");
            } else if (a.is(i, "ADDR")) {
                addr = a.text(i + 1);
            } else if (a.is(i, "LADDR")) {
                laddr = a.text(i + 1);
            } else if (a.is(i, "USER")) {
                user = a.text(i + 1);
            } else if (a.is(i, "TYPE")) {
                type = a.text(i + 1).toLowerCase(Locale.ROOT);
            } else if (a.is(i, "SKIPME")) {
                if (a.is(i + 1, "YES")) {
                    skipMe = true;
                } else if (a.is(i + 1, "NO")) {
                    skipMe = false;
                } else {
                    throw Arguments.syntax();
                }
            } else {
                throw Arguments.syntax();
            }
        }
        long killed = 0;
        for (ClientConnection c : client.server.clients.values()) {
            if ((id != null && c.id != id) || (addr != null && !c.address().equals(addr))
                    || (laddr != null && !c.localAddress().equals(laddr)) || (user != null && !user.equals("default"))
                    || (type != null && !(type.equals("pubsub") ? c.subscribed() : type.equals("normal") && !c.subscribed()))
                    || (skipMe && c == client)) {
                continue;
            }
            c.kill(client);
            killed++;
        }
        r.writeInteger(killed);
    }
}
