package dev.cairn.dictionary.command;

import static dev.cairn.dictionary.command.CommandFlag.DENYOOM;
import static dev.cairn.dictionary.command.CommandFlag.FAST;
import static dev.cairn.dictionary.command.CommandFlag.READONLY;
import static dev.cairn.dictionary.command.CommandFlag.WRITE;
import static dev.cairn.dictionary.command.CommandTable.flags;

import dev.cairn.dictionary.BusyKeyException;
import dev.cairn.dictionary.KeyCommands;
import dev.cairn.dictionary.NotAFloatException;
import dev.cairn.dictionary.RestoreArgs;
import dev.cairn.dictionary.SortArgs;
import java.util.List;
import java.util.Locale;

/**
 * The generic commands on keys that copy, serialize, inspect or sort values: COPY, TOUCH, DUMP,
 * RESTORE, OBJECT and SORT/SORT_RO. Only database 0 exists, so COPY's {@code DB} takes 0 alone.
 * OBJECT answers IDLETIME as 0 (Cairn keeps no access clocks) and FREQ with Redis's error for a
 * maxmemory policy that is not LFU, which is Redis's default. RESTORE accepts the form the
 * dictionary logs ({@code RESTORE key <ms> payload REPLACE ABSTTL}) and COPY its logged form
 * ({@code COPY source destination REPLACE}).
 */
final class KeyExtrasFamily {
    private static final String GROUP = "generic";
    private static final List<String> OBJECT_HELP = List.of(
            "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "ENCODING <key>",
            "    Return the kind of internal representation used in order to store the value",
            "    associated with a <key>.",
            "FREQ <key>",
            "    Return the access frequency index of the <key>. The returned integer is",
            "    proportional to the logarithm of the recent access frequency of the key.",
            "IDLETIME <key>",
            "    Return the idle time of the <key>, that is the approximated number of",
            "    seconds elapsed since the last access to the key.",
            "REFCOUNT <key>",
            "    Return the number of references of the value associated with the specified",
            "    <key>.",
            "HELP",
            "    Prints this help.");

    private KeyExtrasFamily() {
    }

    static void register(CommandTable.Builder b) {
        b.add("copy", -3, GROUP, flags(WRITE, DENYOOM), 1, 2, 1, KeyExtrasFamily::copy);
        b.add("touch", -2, GROUP, flags(READONLY, FAST), 1, -1, 1,
                (s, a, r) -> r.writeInteger(s.views().keys().touch(a.keysFrom(1))));
        b.add("dump", 2, GROUP, flags(READONLY), 1, 1, 1,
                (s, a, r) -> Replies.bulkOrNull(r, s.views().keys().dump(a.key(1))));
        b.add("restore", -4, GROUP, flags(WRITE, DENYOOM), 1, 1, 1, KeyExtrasFamily::restore);
        b.add("object", -2, GROUP, flags(), 0, 0, 0, KeyExtrasFamily::object);
        b.add("sort", -2, GROUP, flags(WRITE, DENYOOM), 1, 1, 1, (s, a, r) -> sort(s, a, r, false));
        b.add("sort_ro", -2, GROUP, flags(READONLY), 1, 1, 1, (s, a, r) -> sort(s, a, r, true));
    }

    /** COPY source destination [DB destination-db] [REPLACE]. */
    private static void copy(Session s, Arguments a, Reply r) {
        boolean replace = false;
        for (int i = 3; i < a.count(); i++) {
            if (a.is(i, "REPLACE")) {
                replace = true;
            } else if (a.is(i, "DB") && i + 1 < a.count()) {
                if (a.integer(++i) != 0) {
                    throw new CommandException("ERR DB index is out of range");
                }
            } else {
                throw Arguments.syntax();
            }
        }
        String source = a.key(1);
        String destination = a.key(2);
        if (source.equals(destination)) {
            throw new CommandException("ERR source and destination objects are the same");
        }
        Replies.flag(r, s.views().keys().copy(source, destination, replace));
    }

    /**
     * RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]: the options,
     * then whether the key is taken, then the ttl, then the payload, as Redis 7.0 checks them.
     */
    private static void restore(Session s, Arguments a, Reply r) {
        boolean replace = false;
        boolean absolute = false;
        long idle = -1;
        long frequency = -1;
        for (int i = 4; i < a.count(); i++) {
            boolean more = i + 1 < a.count();
            if (a.is(i, "REPLACE")) {
                replace = true;
            } else if (a.is(i, "ABSTTL")) {
                absolute = true;
            } else if (a.is(i, "IDLETIME") && more && frequency == -1) {
                idle = a.integer(++i);
                if (idle < 0) {
                    throw new CommandException("ERR Invalid IDLETIME value, must be >= 0");
                }
            } else if (a.is(i, "FREQ") && more && idle == -1) {
                frequency = a.integer(++i);
                if (frequency < 0 || frequency > 255) {
                    throw new CommandException("ERR Invalid FREQ value, must be >= 0 and <= 255");
                }
            } else {
                throw Arguments.syntax();
            }
        }
        String key = a.key(1);
        RestoreArgs args = new RestoreArgs(replace, absolute, idle, (int) frequency);
        s.atomically(views -> {
            KeyCommands keys = views.keys();
            if (!args.replace() && keys.exists(key) > 0) {
                throw new BusyKeyException(key);
            }
            long ttl = a.integer(2);
            if (ttl < 0) {
                throw new CommandException("ERR Invalid TTL value, must be >= 0");
            }
            keys.restore(key, ttl, a.bytes(3), args);
            return null;
        });
        Replies.ok(r);
    }

    /** OBJECT ENCODING|REFCOUNT|IDLETIME|FREQ key, and OBJECT HELP. */
    private static void object(Session s, Arguments a, Reply r) {
        String sub = a.text(1).toLowerCase(Locale.ROOT);
        int arity = switch (sub) {
            case "encoding", "refcount", "idletime", "freq" -> 3;
            case "help" -> 2;
            default -> throw new CommandException("ERR unknown subcommand '" + truncated(a.text(1))
                    + "'. Try OBJECT HELP.");
        };
        if (a.count() != arity) {
            throw new CommandException("ERR wrong number of arguments for 'object|" + sub + "' command");
        }
        if (arity == 2) {
            r.writeArrayLength(OBJECT_HELP.size());
            for (String line : OBJECT_HELP) {
                r.writeSimpleString(line);
            }
            return;
        }
        KeyCommands keys = s.views().keys();
        String key = a.key(2);
        switch (sub) {
            case "encoding" -> {
                String encoding = keys.objectEncoding(key);
                if (encoding == null) {
                    r.writeNullBulk();
                } else {
                    r.writeBulk(encoding);
                }
            }
            case "refcount" -> {
                Long count = keys.objectRefCount(key);
                if (count == null) {
                    r.writeNullBulk();
                } else {
                    r.writeInteger(count);
                }
            }
            default -> {
                if (keys.exists(key) == 0) {
                    r.writeNullBulk();
                } else if (sub.equals("idletime")) {
                    // No access clock is kept: every key reads as just used.
                    r.writeInteger(0);
                } else {
                    throw new CommandException("ERR An LFU maxmemory policy is not selected, access frequency not "
                            + "tracked. Please note that when switching between policies at runtime LRU and LFU data "
                            + "will take some time to adjust.");
                }
            }
        }
    }

    /** Redis shows at most 128 bytes of an unknown subcommand. */
    private static String truncated(String text) {
        return text.length() > 128 ? text.substring(0, 128) : text;
    }

    /**
     * SORT key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC] [ALPHA]
     * [STORE destination]; SORT_RO without STORE (there a syntax error). The options are read
     * before the key's type is checked.
     */
    private static void sort(Session s, Arguments a, Reply r, boolean readOnly) {
        SortArgs args = SortArgs.DEFAULT;
        boolean descending = false;
        boolean alpha = false;
        String store = null;
        for (int i = 2; i < a.count(); i++) {
            int left = a.count() - i - 1;
            if (a.is(i, "ASC")) {
                descending = false;
            } else if (a.is(i, "DESC")) {
                descending = true;
            } else if (a.is(i, "ALPHA")) {
                alpha = true;
            } else if (a.is(i, "LIMIT") && left >= 2) {
                args = args.withLimit(a.integer(i + 1), a.integer(i + 2));
                i += 2;
            } else if (!readOnly && a.is(i, "STORE") && left >= 1) {
                store = a.key(++i);
            } else if (a.is(i, "BY") && left >= 1) {
                args = args.withBy(a.key(++i));
            } else if (a.is(i, "GET") && left >= 1) {
                args = args.withGet(a.key(++i));
            } else {
                throw Arguments.syntax();
            }
        }
        if (descending) {
            args = args.withDesc();
        }
        if (alpha) {
            args = args.withAlpha();
        }
        KeyCommands keys = s.views().keys();
        try {
            if (store != null) {
                r.writeInteger(keys.sortStore(a.key(1), args, store));
            } else {
                Replies.bulks(r, keys.sort(a.key(1), args));
            }
        } catch (NotAFloatException e) {
            throw new CommandException("ERR One or more scores can't be converted into double");
        }
    }
}
