package dev.cairn.server.redis;

import dev.cairn.dictionary.BinaryKeys;
import dev.cairn.dictionary.command.Arguments;
import dev.cairn.dictionary.command.CommandException;
import dev.cairn.dictionary.command.Reply;
import dev.cairn.dictionary.command.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * SUBSCRIBE, PSUBSCRIBE, UNSUBSCRIBE, PUNSUBSCRIBE and PUBSUB. A (un)subscription is
 * confirmed by one message per channel ({@code subscribe channel count}, a push under RESP3),
 * as Redis sends them.
 */
final class PubSubCommands {
    private PubSubCommands() {
    }

    static void subscribe(ClientConnection client, Arguments a, boolean pattern) {
        if (client.inMulti()) {
            throw new CommandException("ERR Command not allowed inside a transaction");
        }
        RespWriter out = client.out();
        Set<String> mine = pattern ? client.patterns : client.channels;
        for (int i = 1; i < a.count(); i++) {
            String name = a.key(i);
            if (mine.add(name)) {
                if (pattern) {
                    client.server.pubSub.psubscribe(client, name);
                } else {
                    client.server.pubSub.subscribe(client, name);
                }
            }
            confirm(out, pattern ? "psubscribe" : "subscribe", a.bytes(i), client);
        }
    }

    static void unsubscribe(ClientConnection client, Arguments a, boolean pattern) {
        RespWriter out = client.out();
        Set<String> mine = pattern ? client.patterns : client.channels;
        List<String> names = new ArrayList<>();
        if (a.count() == 1) {
            names.addAll(mine);
        } else {
            for (int i = 1; i < a.count(); i++) {
                names.add(a.key(i));
            }
        }
        String kind = pattern ? "punsubscribe" : "unsubscribe";
        if (names.isEmpty()) {
            out.writePushLength(3);
            out.writeBulk(kind);
            out.writeNullBulk();
            out.writeInteger(client.channels.size() + client.patterns.size());
            return;
        }
        for (String name : names) {
            if (mine.remove(name)) {
                if (pattern) {
                    client.server.pubSub.punsubscribe(client, name);
                } else {
                    client.server.pubSub.unsubscribe(client, name);
                }
            }
            confirm(out, kind, BinaryKeys.toBytes(name), client);
        }
    }

    private static void confirm(RespWriter out, String kind, byte[] name, ClientConnection client) {
        out.writePushLength(3);
        out.writeBulk(kind);
        out.writeBulk(name);
        out.writeInteger(client.channels.size() + client.patterns.size());
    }

    /** PUBSUB CHANNELS [pattern] | NUMSUB [channel ...] | NUMPAT | HELP. */
    static void pubsub(Session s, Arguments a, Reply r) {
        ClientConnection client = (ClientConnection) s;
        PubSub hub = client.server.pubSub;
        if (a.is(1, "CHANNELS") && a.count() <= 3) {
            List<String> names = hub.channels(a.count() == 3 ? a.bytes(2) : null);
            r.writeArrayLength(names.size());
            for (String name : names) {
                r.writeBulk(BinaryKeys.toBytes(name));
            }
        } else if (a.is(1, "NUMSUB")) {
            r.writeMapLength(a.count() - 2);
            for (int i = 2; i < a.count(); i++) {
                r.writeBulk(a.bytes(i));
                r.writeInteger(hub.subscribers(a.key(i)));
            }
        } else if (a.is(1, "NUMPAT") && a.count() == 2) {
            r.writeInteger(hub.patternCount());
        } else if (a.is(1, "SHARDCHANNELS") && a.count() <= 3) {
            r.writeArrayLength(0);
        } else if (a.is(1, "SHARDNUMSUB")) {
            r.writeMapLength(a.count() - 2);
            for (int i = 2; i < a.count(); i++) {
                r.writeBulk(a.bytes(i));
                r.writeInteger(0);
            }
        } else {
            throw ClientCommand.unknownSubcommand(a, "PUBSUB");
        }
    }
}
