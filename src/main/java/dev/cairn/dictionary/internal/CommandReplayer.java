package dev.cairn.dictionary.internal;

import dev.cairn.dictionary.BinaryKeys;
import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.Expiration;
import dev.cairn.dictionary.ExpireCondition;
import dev.cairn.dictionary.ListEnd;
import dev.cairn.dictionary.ListInsert;
import dev.cairn.dictionary.RestoreArgs;
import dev.cairn.dictionary.ScoredMember;
import dev.cairn.dictionary.SetArgs;
import dev.cairn.dictionary.ZAddArgs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies the deterministic write commands the engine logs (see {@link WriteEntry}) to a
 * dictionary, through its own command views: recovery replays the append-only file with it, and a
 * replica will apply its master's stream the same way. Only the normalized forms the engine
 * produces are accepted; anything else is an error naming the command.
 *
 * <p>Not thread-safe; used by one recovering or replicating thread.
 */
final class CommandReplayer {
    private final Dictionary dictionary;

    CommandReplayer(Dictionary dictionary) {
        this.dictionary = dictionary;
    }

    /**
     * Applies one command.
     *
     * @throws IllegalArgumentException if it is not a command of the logged forms
     */
    void apply(List<byte[]> command) {
        String name = text(command.get(0));
        Args a = new Args(name, command);
        switch (name) {
            case "SET" -> set(a);
            case "MSET" -> dictionary.strings().mset(pairs(a, 1));
            case "DEL" -> dictionary.keys().del(a.keysFrom(1));
            case "RENAME" -> dictionary.keys().rename(a.text(1), a.text(2));
            case "COPY" -> copy(a);
            case "RENAMENX" -> dictionary.keys().renameNx(a.text(1), a.text(2));
            case "PEXPIREAT" -> dictionary.keys().pexpireAt(a.text(1), a.number(2), ExpireCondition.ALWAYS);
            case "RESTORE" -> restore(a);
            case "PERSIST" -> dictionary.keys().persist(a.text(1));
            case "FLUSHALL" -> dictionary.keys().flush();
            case "INCRBY" -> dictionary.strings().incrBy(a.text(1), a.number(2));
            case "APPEND" -> dictionary.strings().append(a.text(1), a.bytes(2));
            case "SETRANGE" -> dictionary.strings().setRange(a.text(1), a.number(2), a.bytes(3));
            case "HSET" -> dictionary.hashes().hset(a.text(1), fields(a));
            case "HDEL" -> dictionary.hashes().hdel(a.text(1), a.keysFrom(2));
            case "HINCRBY" -> dictionary.hashes().hincrBy(a.text(1), a.text(2), a.number(3));
            case "LPUSH" -> dictionary.lists().lpush(a.text(1), a.bytesFrom(2));
            case "RPUSH" -> dictionary.lists().rpush(a.text(1), a.bytesFrom(2));
            case "LPOP" -> pop(a, true);
            case "RPOP" -> pop(a, false);
            case "LSET" -> dictionary.lists().lset(a.text(1), a.number(2), a.bytes(3));
            case "LINSERT" -> dictionary.lists().linsert(a.text(1), ListInsert.valueOf(a.text(2)), a.bytes(3), a.bytes(4));
            case "LREM" -> dictionary.lists().lrem(a.text(1), a.number(2), a.bytes(3));
            case "LTRIM" -> dictionary.lists().ltrim(a.text(1), a.number(2), a.number(3));
            case "LMOVE" -> dictionary.lists().lmove(a.text(1), a.text(2), ListEnd.valueOf(a.text(3)),
                    ListEnd.valueOf(a.text(4)));
            case "SADD" -> dictionary.sets().sadd(a.text(1), a.bytesFrom(2));
            case "SREM" -> dictionary.sets().srem(a.text(1), a.bytesFrom(2));
            case "SMOVE" -> dictionary.sets().smove(a.text(1), a.text(2), a.bytes(3));
            case "ZADD" -> dictionary.sortedSets().zadd(a.text(1), ZAddArgs.DEFAULT, scored(a));
            case "ZREM" -> dictionary.sortedSets().zrem(a.text(1), a.bytesFrom(2));
            default -> throw new IllegalArgumentException("not a logged write command: " + name);
        }
    }

    private void set(Args a) {
        if (a.count() == 3) {
            dictionary.strings().set(a.text(1), a.bytes(2));
        } else if (a.count() == 4 && a.text(3).equals("KEEPTTL")) {
            dictionary.strings().set(a.text(1), a.bytes(2), SetArgs.DEFAULT.with(Expiration.keepTtl()));
        } else if (a.count() == 5 && a.text(3).equals("PXAT")) {
            dictionary.strings().set(a.text(1), a.bytes(2), SetArgs.DEFAULT.with(Expiration.atMillis(a.number(4))));
        } else {
            throw a.malformed();
        }
    }

    private void restore(Args a) {
        RestoreArgs options = RestoreArgs.DEFAULT;
        for (int i = 4; i < a.count(); i++) {
            switch (a.text(i)) {
                case "REPLACE" -> options = options.withReplace();
                case "ABSTTL" -> options = options.withAbsoluteTtl();
                default -> throw a.malformed();
            }
        }
        dictionary.keys().restore(a.text(1), a.number(2), a.bytes(3), options);
    }

    private void copy(Args a) {
        if (a.count() != 4 || !a.text(3).equals("REPLACE")) {
            throw a.malformed();
        }
        dictionary.keys().copy(a.text(1), a.text(2), true);
    }

    private void pop(Args a, boolean head) {
        if (a.count() == 2) {
            if (head) {
                dictionary.lists().lpop(a.text(1));
            } else {
                dictionary.lists().rpop(a.text(1));
            }
        } else if (head) {
            dictionary.lists().lpop(a.text(1), a.number(2));
        } else {
            dictionary.lists().rpop(a.text(1), a.number(2));
        }
    }

    private static Map<String, byte[]> pairs(Args a, int from) {
        if ((a.count() - from) % 2 != 0 || a.count() == from) {
            throw a.malformed();
        }
        Map<String, byte[]> pairs = new LinkedHashMap<>();
        for (int i = from; i < a.count(); i += 2) {
            pairs.put(a.text(i), a.bytes(i + 1));
        }
        return pairs;
    }

    private static Map<String, byte[]> fields(Args a) {
        return pairs(a, 2);
    }

    private static ScoredMember[] scored(Args a) {
        if ((a.count() - 2) % 2 != 0 || a.count() == 2) {
            throw a.malformed();
        }
        ScoredMember[] members = new ScoredMember[(a.count() - 2) / 2];
        for (int i = 0; i < members.length; i++) {
            members[i] = new ScoredMember(a.bytes(3 + 2 * i), a.score(2 + 2 * i));
        }
        return members;
    }

    private static String text(byte[] bytes) {
        return BinaryKeys.fromBytes(bytes);
    }

    /** The arguments of one command, with checked access. */
    private record Args(String name, List<byte[]> all) {
        int count() {
            return all.size();
        }

        byte[] bytes(int index) {
            if (index >= all.size()) {
                throw malformed();
            }
            return all.get(index);
        }

        String text(int index) {
            return CommandReplayer.text(bytes(index));
        }

        long number(int index) {
            try {
                return Long.parseLong(text(index));
            } catch (NumberFormatException e) {
                throw malformed();
            }
        }

        double score(int index) {
            String s = text(index);
            switch (s) {
                case "inf", "+inf" -> {
                    return Double.POSITIVE_INFINITY;
                }
                case "-inf" -> {
                    return Double.NEGATIVE_INFINITY;
                }
                default -> {
                    try {
                        return Double.parseDouble(s);
                    } catch (NumberFormatException e) {
                        throw malformed();
                    }
                }
            }
        }

        String[] keysFrom(int index) {
            if (index >= all.size()) {
                throw malformed();
            }
            String[] keys = new String[all.size() - index];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = text(index + i);
            }
            return keys;
        }

        byte[][] bytesFrom(int index) {
            if (index >= all.size()) {
                throw malformed();
            }
            return all.subList(index, all.size()).toArray(new byte[0][]);
        }

        IllegalArgumentException malformed() {
            StringBuilder shown = new StringBuilder(name);
            for (byte[] arg : all.subList(1, all.size())) {
                shown.append(' ').append(arg.length > 40 ? arg.length + " bytes" : CommandReplayer.text(arg));
            }
            return new IllegalArgumentException("malformed logged command: " + shown + " (" + all.size()
                    + " arguments)");
        }
    }
}
