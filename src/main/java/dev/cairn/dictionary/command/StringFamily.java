package dev.cairn.dictionary.command;

import static dev.cairn.dictionary.command.CommandFlag.DENYOOM;
import static dev.cairn.dictionary.command.CommandFlag.FAST;
import static dev.cairn.dictionary.command.CommandFlag.READONLY;
import static dev.cairn.dictionary.command.CommandFlag.WRITE;
import static dev.cairn.dictionary.command.CommandTable.flags;

import dev.cairn.dictionary.Expiration;
import dev.cairn.dictionary.KeyType;
import dev.cairn.dictionary.LcsMatch;
import dev.cairn.dictionary.LcsResult;
import dev.cairn.dictionary.SetArgs;
import dev.cairn.dictionary.SetResult;
import dev.cairn.dictionary.StringCommands;
import dev.cairn.dictionary.WrongTypeException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The commands on string values (Redis's {@code string} group). */
final class StringFamily {
    private static final String GROUP = "string";

    private StringFamily() {
    }

    static void register(CommandTable.Builder b) {
        b.add("get", 2, GROUP, flags(READONLY, FAST), 1, 1, 1,
                (s, a, r) -> Replies.bulkOrNull(r, s.views().strings().get(a.key(1))));
        b.add("set", -3, GROUP, flags(WRITE, DENYOOM), 1, 1, 1, StringFamily::set);
        b.add("setnx", 3, GROUP, flags(WRITE, DENYOOM, FAST), 1, 1, 1,
                (s, a, r) -> Replies.flag(r, s.views().strings().setNx(a.key(1), a.bytes(2))));
        b.add("setex", 4, GROUP, flags(WRITE, DENYOOM), 1, 1, 1, (s, a, r) -> setWithTtl(s, a, r, true));
        b.add("psetex", 4, GROUP, flags(WRITE, DENYOOM), 1, 1, 1, (s, a, r) -> setWithTtl(s, a, r, false));
        b.add("getset", 3, GROUP, flags(WRITE, DENYOOM, FAST), 1, 1, 1,
                (s, a, r) -> Replies.bulkOrNull(r, s.views().strings().getSet(a.key(1), a.bytes(2))));
        b.add("getdel", 2, GROUP, flags(WRITE, FAST), 1, 1, 1,
                (s, a, r) -> Replies.bulkOrNull(r, s.views().strings().getDel(a.key(1))));
        b.add("getex", -2, GROUP, flags(WRITE, FAST), 1, 1, 1, StringFamily::getEx);
        b.add("mget", -2, GROUP, flags(READONLY, FAST), 1, -1, 1,
                (s, a, r) -> Replies.bulks(r, s.views().strings().mget(a.keysFrom(1))));
        b.add("mset", -3, GROUP, flags(WRITE, DENYOOM), 1, -1, 2, (s, a, r) -> {
            Map<String, byte[]> pairs = pairs(a);
            if (pairs.size() == a.count() / 2) {
                s.views().strings().mset(pairs);
            } else {
                s.atomically(v -> setEach(v, a));
            }
            Replies.ok(r);
        });
        b.add("msetnx", -3, GROUP, flags(WRITE, DENYOOM), 1, -1, 2, (s, a, r) -> {
            Map<String, byte[]> pairs = pairs(a);
            boolean set = pairs.size() == a.count() / 2 ? s.views().strings().msetNx(pairs)
                    : s.atomically(v -> v.keys().exists(pairs.keySet().toArray(String[]::new)) == 0 && setEach(v, a));
            Replies.flag(r, set);
        });
        b.add("incr", 2, GROUP, flags(WRITE, DENYOOM, FAST), 1, 1, 1,
                (s, a, r) -> r.writeInteger(s.views().strings().incrBy(a.key(1), 1)));
        b.add("decr", 2, GROUP, flags(WRITE, DENYOOM, FAST), 1, 1, 1,
                (s, a, r) -> r.writeInteger(s.views().strings().incrBy(a.key(1), -1)));
        b.add("incrby", 3, GROUP, flags(WRITE, DENYOOM, FAST), 1, 1, 1,
                (s, a, r) -> r.writeInteger(s.views().strings().incrBy(a.key(1), a.integer(2))));
        b.add("decrby", 3, GROUP, flags(WRITE, DENYOOM, FAST), 1, 1, 1,
                (s, a, r) -> r.writeInteger(s.views().strings().decrBy(a.key(1), a.integer(2))));
        b.add("incrbyfloat", 3, GROUP, flags(WRITE, DENYOOM, FAST), 1, 1, 1, StringFamily::incrByFloat);
        b.add("append", 3, GROUP, flags(WRITE, DENYOOM), 1, 1, 1,
                (s, a, r) -> r.writeInteger(s.views().strings().append(a.key(1), a.bytes(2))));
        b.add("strlen", 2, GROUP, flags(READONLY, FAST), 1, 1, 1,
                (s, a, r) -> r.writeInteger(s.views().strings().strlen(a.key(1))));
        b.add("getrange", 4, GROUP, flags(READONLY), 1, 1, 1, StringFamily::getRange);
        b.add("substr", 4, GROUP, flags(READONLY), 1, 1, 1, StringFamily::getRange);
        b.add("setrange", 4, GROUP, flags(WRITE, DENYOOM), 1, 1, 1, StringFamily::setRange);
        b.add("lcs", -3, GROUP, flags(READONLY), 1, 2, 1, StringFamily::lcs);
    }

    /** SET key value [NX|XX] [GET] [EX s|PX ms|EXAT s|PXAT ms|KEEPTTL], parsed as Redis 7.0 does. */
    private static void set(Session s, Arguments a, Reply r) {
        SetArgs args = SetArgs.DEFAULT;
        int expireKind = 0; // 1 EX, 2 PX, 3 EXAT, 4 PXAT, 5 KEEPTTL
        int expireIndex = 0;
        for (int i = 3; i < a.count(); i++) {
            boolean hasNext = i + 1 < a.count();
            if (a.is(i, "NX") && args.condition() != SetArgs.Condition.XX) {
                args = args.nx();
            } else if (a.is(i, "XX") && args.condition() != SetArgs.Condition.NX) {
                args = args.xx();
            } else if (a.is(i, "GET")) {
                args = args.withGet();
            } else if (a.is(i, "KEEPTTL") && expireKind == 0) {
                expireKind = 5;
            } else if (expireKind == 0 && hasNext && expireKeyword(a, i) != 0) {
                expireKind = expireKeyword(a, i);
                expireIndex = ++i;
            } else {
                throw Arguments.syntax();
            }
        }
        if (expireKind == 5) {
            args = args.with(Expiration.keepTtl());
        } else if (expireKind != 0) {
            args = args.with(expiration(a, expireKind, expireIndex));
        }
        SetResult result;
        try {
            result = s.views().strings().set(a.key(1), a.bytes(2), args);
        } catch (IllegalArgumentException e) {
            throw expireTimeError(e, a);
        }
        if (args.get()) {
            Replies.bulkOrNull(r, result.oldValue());
        } else if (result.written()) {
            Replies.ok(r);
        } else {
            r.writeNullBulk();
        }
    }

    /** 1 EX, 2 PX, 3 EXAT, 4 PXAT, or 0 if argument {@code i} is none of them. */
    private static int expireKeyword(Arguments a, int i) {
        return a.is(i, "EX") ? 1 : a.is(i, "PX") ? 2 : a.is(i, "EXAT") ? 3 : a.is(i, "PXAT") ? 4 : 0;
    }

    /**
     * The expiration of kind {@code kind} whose number is argument {@code index}: Redis refuses
     * a number that is not positive, or whose milliseconds overflow, as an invalid expire time.
     */
    private static Expiration expiration(Arguments a, int kind, int index) {
        long value = a.integer(index);
        boolean seconds = kind == 1 || kind == 3;
        if (value <= 0 || (seconds && value > Long.MAX_VALUE / 1000)) {
            throw invalidExpireTime(a);
        }
        return switch (kind) {
            case 1 -> Expiration.seconds(value);
            case 2 -> Expiration.millis(value);
            case 3 -> Expiration.atSeconds(value);
            default -> Expiration.atMillis(value);
        };
    }

    private static CommandException invalidExpireTime(Arguments a) {
        return new CommandException("ERR invalid expire time in '" + a.name().toLowerCase(Locale.ROOT) + "' command");
    }

    /** The dictionary's refusal of a deadline as Redis words it for this command; other failures as they are. */
    static RuntimeException expireTimeError(IllegalArgumentException e, Arguments a) {
        if (String.valueOf(e.getMessage()).startsWith("invalid expire time")) {
            return invalidExpireTime(a);
        }
        return e;
    }

    /** SETEX key seconds value, PSETEX key milliseconds value. */
    private static void setWithTtl(Session s, Arguments a, Reply r, boolean seconds) {
        Expiration expiration = expiration(a, seconds ? 1 : 2, 2);
        try {
            s.views().strings().set(a.key(1), a.bytes(3), SetArgs.DEFAULT.with(expiration));
        } catch (IllegalArgumentException e) {
            throw expireTimeError(e, a);
        }
        Replies.ok(r);
    }

    /** GETEX key [EX s|PX ms|EXAT s|PXAT ms|PERSIST]. */
    private static void getEx(Session s, Arguments a, Reply r) {
        Expiration expiration = null;
        for (int i = 2; i < a.count(); i++) {
            boolean hasNext = i + 1 < a.count();
            if (a.is(i, "PERSIST") && expiration == null) {
                expiration = Expiration.persist();
            } else if (expiration == null && hasNext && expireKeyword(a, i) != 0) {
                int kind = expireKeyword(a, i);
                expiration = expiration(a, kind, ++i);
            } else {
                throw Arguments.syntax();
            }
        }
        byte[] value;
        try {
            value = s.views().strings().getEx(a.key(1), expiration);
        } catch (IllegalArgumentException e) {
            throw expireTimeError(e, a);
        }
        Replies.bulkOrNull(r, value);
    }

    /** MSET's and MSETNX's key-value pairs; an odd count is Redis's wrong-arity error. */
    /**
     * MSET with a key given twice: one SET per pair, in the arguments' order, as Redis sets them
     * (each emits its own {@code set} event; a map would merge them). Returns true.
     */
    private static boolean setEach(dev.cairn.dictionary.CommandViews views, Arguments a) {
        for (int i = 1; i < a.count(); i += 2) {
            views.strings().set(a.key(i), a.bytes(i + 1));
        }
        return true;
    }

    private static Map<String, byte[]> pairs(Arguments a) {
        if (a.count() % 2 == 0) {
            throw a.wrongArity();
        }
        Map<String, byte[]> pairs = new LinkedHashMap<>();
        for (int i = 1; i < a.count(); i += 2) {
            // A key given twice takes its last value, as Redis's sequential sets leave it.
            pairs.remove(a.key(i));
            pairs.put(a.key(i), a.bytes(i + 1));
        }
        return pairs;
    }

    /**
     * INCRBYFLOAT key increment: the increment's bytes go to the dictionary as they came (one
     * character per byte), which reads them as Redis's strtold does; the reply is the stored text.
     */
    private static void incrByFloat(Session s, Arguments a, Reply r) {
        String increment = new String(a.bytes(2), StandardCharsets.ISO_8859_1);
        r.writeBulk(s.views().strings().incrByFloat(a.key(1), increment));
    }

    /** GETRANGE key start end (SUBSTR is its old name). */
    private static void getRange(Session s, Arguments a, Reply r) {
        long start = a.integer(2);
        long end = a.integer(3);
        byte[] value = s.views().strings().getRange(a.key(1), start, end);
        r.writeBulk(value == null ? new byte[0] : value);
    }

    /** SETRANGE key offset value. */
    private static void setRange(Session s, Arguments a, Reply r) {
        long offset = a.integer(2);
        if (offset < 0) {
            throw new CommandException("ERR offset is out of range");
        }
        r.writeInteger(s.views().strings().setRange(a.key(1), offset, a.bytes(3)));
    }

    /**
     * LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]: Redis 7.0 checks the keys' types
     * before the options, and the options before refusing LEN with IDX. With IDX the reply is a
     * map (a flat array under RESP2) of {@code matches} and {@code len}. Redis looks each key up
     * once (a keyspace hit or miss): here the options are read first, and the keys are looked at
     * by the LCS call, or, when the options are bad, by a type check before their error.
     */
    private static void lcs(Session s, Arguments a, Reply r) {
        String key1 = a.key(1);
        String key2 = a.key(2);
        boolean len = false;
        boolean idx = false;
        boolean withMatchLen = false;
        long minMatchLen = 0;
        CommandException badOptions = null;
        try {
            for (int i = 3; i < a.count(); i++) {
                if (a.is(i, "IDX")) {
                    idx = true;
                } else if (a.is(i, "LEN")) {
                    len = true;
                } else if (a.is(i, "WITHMATCHLEN")) {
                    withMatchLen = true;
                } else if (a.is(i, "MINMATCHLEN") && i + 1 < a.count()) {
                    minMatchLen = Math.max(0, a.integer(++i));
                } else {
                    throw Arguments.syntax();
                }
            }
            if (idx && len) {
                throw new CommandException("ERR If you want both the length and indexes, please just use IDX.");
            }
        } catch (CommandException e) {
            badOptions = e;
        }
        CommandException refused = badOptions;
        boolean byIndex = idx;
        boolean lengthOnly = len;
        boolean matchLengths = withMatchLen;
        long minimum = minMatchLen;
        s.atomically(views -> {
            if (refused != null) {
                KeyType type1 = views.keys().type(key1);
                KeyType type2 = views.keys().type(key2);
                for (KeyType type : new KeyType[] {type1, type2}) {
                    if (type != KeyType.NONE && type != KeyType.STRING) {
                        throw lcsWrongType();
                    }
                }
                throw refused;
            }
            StringCommands strings = views.strings();
            try {
                if (byIndex) {
                    lcsIdx(r, strings.lcsIdx(key1, key2, minimum), matchLengths);
                } else if (lengthOnly) {
                    r.writeInteger(strings.lcsLen(key1, key2));
                } else {
                    r.writeBulk(strings.lcs(key1, key2));
                }
            } catch (WrongTypeException e) {
                throw lcsWrongType();
            } catch (IllegalArgumentException e) {
                if (String.valueOf(e.getMessage()).startsWith("Insufficient memory")) {
                    throw new CommandException("ERR Insufficient memory, transient memory for LCS exceeds "
                            + "proto-max-bulk-len");
                }
                throw e;
            }
            return null;
        });
    }

    private static CommandException lcsWrongType() {
        return new CommandException("ERR The specified keys must contain string values");
    }

    private static void lcsIdx(Reply r, LcsResult result, boolean withMatchLen) {
        r.writeMapLength(2);
        r.writeBulk("matches");
        r.writeArrayLength(result.matches().size());
        for (LcsMatch match : result.matches()) {
            r.writeArrayLength(withMatchLen ? 3 : 2);
            r.writeArrayLength(2);
            r.writeInteger(match.start1());
            r.writeInteger(match.end1());
            r.writeArrayLength(2);
            r.writeInteger(match.start2());
            r.writeInteger(match.end2());
            if (withMatchLen) {
                r.writeInteger(match.length());
            }
        }
        r.writeBulk("len");
        r.writeInteger(result.length());
    }
}
