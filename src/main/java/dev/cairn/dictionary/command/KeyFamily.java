package dev.cairn.dictionary.command;

import static dev.cairn.dictionary.command.CommandFlag.FAST;
import static dev.cairn.dictionary.command.CommandFlag.READONLY;
import static dev.cairn.dictionary.command.CommandFlag.WRITE;
import static dev.cairn.dictionary.command.CommandTable.flags;

import dev.cairn.dictionary.ExpireCondition;
import dev.cairn.dictionary.KeyCommands;
import dev.cairn.dictionary.KeyType;
import dev.cairn.dictionary.ScanArgs;
import dev.cairn.dictionary.ScanPage;
import java.util.List;

/**
 * The generic commands on keys of any type (Redis's {@code generic} group): DEL, EXISTS, TYPE,
 * RENAME, the EXPIRE family, TTLs, KEYS, SCAN, RANDOMKEY, and the keyspace-wide DBSIZE and
 * FLUSHALL/FLUSHDB.
 */
final class KeyFamily {
    private static final String GROUP = "generic";

    private KeyFamily() {
    }

    static void register(CommandTable.Builder b) {
        b.add("del", -2, GROUP, flags(WRITE), 1, -1, 1, (s, a, r) -> r.writeInteger(s.views().keys().del(a.keysFrom(1))));
        b.add("unlink", -2, GROUP, flags(WRITE, FAST), 1, -1, 1,
                (s, a, r) -> r.writeInteger(s.views().keys().del(a.keysFrom(1))));
        b.add("exists", -2, GROUP, flags(READONLY, FAST), 1, -1, 1,
                (s, a, r) -> r.writeInteger(s.views().keys().exists(a.keysFrom(1))));
        b.add("type", 2, GROUP, flags(READONLY, FAST), 1, 1, 1,
                (s, a, r) -> r.writeSimpleString(s.views().keys().type(a.key(1)).redisName()));
        b.add("rename", 3, GROUP, flags(WRITE), 1, 2, 1, (s, a, r) -> {
            s.views().keys().rename(a.key(1), a.key(2));
            Replies.ok(r);
        });
        b.add("renamenx", 3, GROUP, flags(WRITE, FAST), 1, 2, 1,
                (s, a, r) -> Replies.flag(r, s.views().keys().renameNx(a.key(1), a.key(2))));
        b.add("expire", -3, GROUP, flags(WRITE, FAST), 1, 1, 1, (s, a, r) -> expire(s, a, r, 1000, false));
        b.add("pexpire", -3, GROUP, flags(WRITE, FAST), 1, 1, 1, (s, a, r) -> expire(s, a, r, 1, false));
        b.add("expireat", -3, GROUP, flags(WRITE, FAST), 1, 1, 1, (s, a, r) -> expire(s, a, r, 1000, true));
        b.add("pexpireat", -3, GROUP, flags(WRITE, FAST), 1, 1, 1, (s, a, r) -> expire(s, a, r, 1, true));
        b.add("persist", 2, GROUP, flags(WRITE, FAST), 1, 1, 1,
                (s, a, r) -> Replies.flag(r, s.views().keys().persist(a.key(1))));
        b.add("ttl", 2, GROUP, flags(READONLY, FAST), 1, 1, 1, (s, a, r) -> r.writeInteger(s.views().keys().ttl(a.key(1))));
        b.add("pttl", 2, GROUP, flags(READONLY, FAST), 1, 1, 1,
                (s, a, r) -> r.writeInteger(s.views().keys().pttl(a.key(1))));
        b.add("expiretime", 2, GROUP, flags(READONLY, FAST), 1, 1, 1,
                (s, a, r) -> r.writeInteger(s.views().keys().expireTime(a.key(1))));
        b.add("pexpiretime", 2, GROUP, flags(READONLY, FAST), 1, 1, 1,
                (s, a, r) -> r.writeInteger(s.views().keys().pexpireTime(a.key(1))));
        b.add("keys", 2, GROUP, flags(READONLY), 0, 0, 0, (s, a, r) -> Replies.keys(r, s.views().keys().keys(a.key(1))));
        b.add("scan", -2, GROUP, flags(READONLY), 0, 0, 0, KeyFamily::scan);
        b.add("randomkey", 1, GROUP, flags(READONLY), 0, 0, 0, (s, a, r) -> {
            String key = s.views().keys().randomKey();
            if (key == null) {
                r.writeNullBulk();
            } else {
                Replies.key(r, key);
            }
        });
        b.add("dbsize", 1, "server", flags(READONLY, FAST), 0, 0, 0,
                (s, a, r) -> r.writeInteger(s.views().keys().dbSize()));
        b.add("flushall", -1, "server", flags(WRITE), 0, 0, 0, KeyFamily::flush);
        b.add("flushdb", -1, "server", flags(WRITE), 0, 0, 0, KeyFamily::flush);
    }

    /**
     * EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT key n [NX|XX|GT|LT]: Redis 7.0 checks the options
     * (and their combinations) before the number's range.
     */
    private static void expire(Session s, Arguments a, Reply r, long unitMillis, boolean absolute) {
        boolean nx = false;
        boolean xx = false;
        boolean gt = false;
        boolean lt = false;
        for (int i = 3; i < a.count(); i++) {
            if (a.is(i, "NX")) {
                nx = true;
            } else if (a.is(i, "XX")) {
                xx = true;
            } else if (a.is(i, "GT")) {
                gt = true;
            } else if (a.is(i, "LT")) {
                lt = true;
            } else {
                throw new CommandException("ERR Unsupported option " + a.text(i));
            }
        }
        ExpireCondition condition;
        try {
            condition = ExpireCondition.of(nx, xx, gt, lt);
        } catch (IllegalArgumentException e) {
            throw new CommandException("ERR " + e.getMessage());
        }
        long value = a.integer(2);
        String name = a.name().toLowerCase(java.util.Locale.ROOT);
        if (unitMillis == 1000) {
            if (value > Long.MAX_VALUE / 1000 || value < Long.MIN_VALUE / 1000) {
                throw new CommandException("ERR invalid expire time in '" + name + "' command");
            }
        }
        KeyCommands keys = s.views().keys();
        String key = a.key(1);
        boolean set;
        try {
            if (absolute) {
                set = unitMillis == 1 ? keys.pexpireAt(key, value, condition) : keys.expireAt(key, value, condition);
            } else {
                set = unitMillis == 1 ? keys.pexpire(key, value, condition) : keys.expire(key, value, condition);
            }
        } catch (IllegalArgumentException e) {
            if (String.valueOf(e.getMessage()).startsWith("invalid expire time")) {
                throw new CommandException("ERR invalid expire time in '" + name + "' command");
            }
            throw e;
        }
        Replies.flag(r, set);
    }

    /** SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]. */
    private static void scan(Session s, Arguments a, Reply r) {
        Long cursor = parseCursor(a.bytes(1));
        ScanArgs args = ScanArgs.DEFAULT;
        String typeName = null;
        for (int i = 2; i < a.count(); i++) {
            boolean more = i + 1 < a.count();
            if (a.is(i, "COUNT") && more) {
                long count = a.integer(++i);
                if (count < 1) {
                    throw Arguments.syntax();
                }
                args = args.count((int) Math.min(count, Integer.MAX_VALUE));
            } else if (a.is(i, "MATCH") && more) {
                args = args.match(a.key(++i));
            } else if (a.is(i, "TYPE") && more) {
                typeName = a.text(++i);
            } else {
                throw Arguments.syntax();
            }
        }
        KeyType type = null;
        boolean knownType = true;
        if (typeName != null) {
            knownType = false;
            for (KeyType candidate : KeyType.values()) {
                if (candidate != KeyType.NONE && candidate.redisName().equalsIgnoreCase(typeName)) {
                    type = candidate;
                    knownType = true;
                }
            }
            if (type != null) {
                args = args.type(type);
            }
        }
        ScanPage<String> page = s.views().keys().scan(cursor, args);
        List<String> keys = knownType ? page.items() : List.of();
        r.writeArrayLength(2);
        r.writeBulk(Long.toUnsignedString(page.cursor()));
        Replies.keys(r, keys);
    }

    /**
     * A SCAN, HSCAN or SSCAN cursor, read as Redis's {@code parseScanCursorOrReply} reads it with
     * {@code strtoul}: an optional sign, then decimal digits up to the end (or a NUL byte); a
     * minus negates modulo 2^64 ({@code -1} is the largest cursor), no digits at all (the empty
     * argument) read as 0. A leading blank, any other byte, or more than 64 bits is
     * {@code ERR invalid cursor}.
     */
    static long parseCursor(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        if (end == 0) {
            return 0;
        }
        int i = 0;
        boolean negative = bytes[0] == '-';
        if (negative || bytes[0] == '+') {
            i++;
        }
        if (i == end) {
            throw new CommandException("ERR invalid cursor");
        }
        long value = 0;
        for (; i < end; i++) {
            int digit = bytes[i] - '0';
            if (digit < 0 || digit > 9 || Long.compareUnsigned(value, Long.divideUnsigned(-1L, 10)) > 0) {
                throw new CommandException("ERR invalid cursor");
            }
            long next = value * 10 + digit;
            if (Long.compareUnsigned(next, value * 10) < 0) {
                throw new CommandException("ERR invalid cursor");
            }
            value = next;
        }
        return negative ? -value : value;
    }

    /** FLUSHALL / FLUSHDB [ASYNC|SYNC]: the flush is immediate either way. */
    private static void flush(Session s, Arguments a, Reply r) {
        if (a.count() > 2 || (a.count() == 2 && !a.is(1, "ASYNC") && !a.is(1, "SYNC"))) {
            throw Arguments.syntax();
        }
        s.views().keys().flush();
        Replies.ok(r);
    }
}
