package dev.cairn.dictionary.command;

import static dev.cairn.dictionary.command.CommandFlag.DENYOOM;
import static dev.cairn.dictionary.command.CommandFlag.FAST;
import static dev.cairn.dictionary.command.CommandFlag.READONLY;
import static dev.cairn.dictionary.command.CommandFlag.WRITE;
import static dev.cairn.dictionary.command.CommandTable.flags;

import dev.cairn.dictionary.HashCommands;
import dev.cairn.dictionary.NotAFloatException;
import dev.cairn.dictionary.NotAnIntegerException;
import dev.cairn.dictionary.ScanArgs;
import dev.cairn.dictionary.ScanPage;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The commands on hash values (Redis's {@code hash} group). Fields are names ({@link
 * Arguments#key}), values raw bytes. Each command checks its arguments in the order Redis 7.0
 * does, so the same bad command gets the same error (HINCRBY's increment before the key's type,
 * HSCAN's cursor before the key, its options only for a hash that exists).
 */
final class HashFamily {
    private static final String GROUP = "hash";

    /** Redis's refusal of HRANDFIELD's and SRANDMEMBER's count {@code Long.MIN_VALUE}. */
    static final String COUNT_RANGE = "ERR value is out of range, value must between -9223372036854775807 and "
            + "9223372036854775807";

    /** The largest number of repeated picks the dictionary answers (its {@code Integer.MAX_VALUE - 8}). */
    static final long MAX_PICKS = Integer.MAX_VALUE - 8;

    private HashFamily() {
    }

    static void register(CommandTable.Builder b) {
        b.add("hset", -4, GROUP, flags(WRITE, DENYOOM, FAST), 1, 1, 1,
                (s, a, r) -> r.writeInteger(s.views().hashes().hset(a.key(1), fieldValues(a))));
        b.add("hsetnx", 4, GROUP, flags(WRITE, DENYOOM, FAST), 1, 1, 1,
                (s, a, r) -> Replies.flag(r, s.views().hashes().hsetNx(a.key(1), a.key(2), a.bytes(3))));
        b.add("hmset", -4, GROUP, flags(WRITE, DENYOOM, FAST), 1, 1, 1, (s, a, r) -> {
            s.views().hashes().hset(a.key(1), fieldValues(a));
            Replies.ok(r);
        });
        b.add("hget", 3, GROUP, flags(READONLY, FAST), 1, 1, 1,
                (s, a, r) -> Replies.bulkOrNull(r, s.views().hashes().hget(a.key(1), a.key(2))));
        b.add("hmget", -3, GROUP, flags(READONLY, FAST), 1, 1, 1,
                (s, a, r) -> Replies.bulks(r, s.views().hashes().hmget(a.key(1), a.keysFrom(2))));
        b.add("hdel", -3, GROUP, flags(WRITE, FAST), 1, 1, 1,
                (s, a, r) -> r.writeInteger(s.views().hashes().hdel(a.key(1), a.keysFrom(2))));
        b.add("hexists", 3, GROUP, flags(READONLY, FAST), 1, 1, 1,
                (s, a, r) -> Replies.flag(r, s.views().hashes().hexists(a.key(1), a.key(2))));
        b.add("hlen", 2, GROUP, flags(READONLY, FAST), 1, 1, 1,
                (s, a, r) -> r.writeInteger(s.views().hashes().hlen(a.key(1))));
        b.add("hkeys", 2, GROUP, flags(READONLY), 1, 1, 1,
                (s, a, r) -> Replies.keys(r, s.views().hashes().hkeys(a.key(1))));
        b.add("hvals", 2, GROUP, flags(READONLY), 1, 1, 1,
                (s, a, r) -> Replies.bulks(r, s.views().hashes().hvals(a.key(1))));
        b.add("hgetall", 2, GROUP, flags(READONLY), 1, 1, 1, HashFamily::hgetAll);
        b.add("hincrby", 4, GROUP, flags(WRITE, DENYOOM, FAST), 1, 1, 1, HashFamily::hincrBy);
        b.add("hincrbyfloat", 4, GROUP, flags(WRITE, DENYOOM, FAST), 1, 1, 1, HashFamily::hincrByFloat);
        b.add("hstrlen", 3, GROUP, flags(READONLY, FAST), 1, 1, 1,
                (s, a, r) -> r.writeInteger(s.views().hashes().hstrlen(a.key(1), a.key(2))));
        b.add("hrandfield", -2, GROUP, flags(READONLY), 1, 1, 1, HashFamily::hrandField);
        b.add("hscan", -3, GROUP, flags(READONLY), 1, 1, 1, HashFamily::hscan);
    }

    /**
     * HSET's and HMSET's field-value pairs; an odd count is Redis's wrong-arity error (checked
     * before the key's type, as Redis does). A field given twice takes its last value, as
     * Redis's sequential sets leave it, and counts once as new.
     */
    private static Map<String, byte[]> fieldValues(Arguments a) {
        if (a.count() % 2 == 1) {
            throw a.wrongArity();
        }
        Map<String, byte[]> fields = new LinkedHashMap<>();
        for (int i = 2; i < a.count(); i += 2) {
            fields.put(a.key(i), a.bytes(i + 1));
        }
        return fields;
    }

    /** HGETALL key: a map (a flat array under RESP2), empty for a missing key. */
    private static void hgetAll(Session s, Arguments a, Reply r) {
        Map<String, byte[]> all = s.views().hashes().hgetAll(a.key(1));
        r.writeMapLength(all.size());
        for (Map.Entry<String, byte[]> entry : all.entrySet()) {
            Replies.key(r, entry.getKey());
            r.writeBulk(entry.getValue());
        }
    }

    /** HINCRBY key field increment: Redis words a stored non-integer as a hash value. */
    private static void hincrBy(Session s, Arguments a, Reply r) {
        long increment = a.integer(3);
        long result;
        try {
            result = s.views().hashes().hincrBy(a.key(1), a.key(2), increment);
        } catch (NotAnIntegerException e) {
            throw new CommandException("ERR hash value is not an integer");
        }
        r.writeInteger(result);
    }

    /**
     * HINCRBYFLOAT key field increment: the increment's bytes go to the dictionary as they came
     * (one character per byte), which reads them as Redis's strtold does and refuses an infinite
     * one before the key is looked at; the reply is the stored text.
     */
    private static void hincrByFloat(Session s, Arguments a, Reply r) {
        String increment = new String(a.bytes(3), StandardCharsets.ISO_8859_1);
        try {
            r.writeBulk(s.views().hashes().hincrByFloat(a.key(1), a.key(2), increment));
        } catch (NotAFloatException e) {
            // The dictionary names a stored value that is not a number "value of field ...", and
            // an infinite increment "increment is infinite"; other failures keep their general text.
            String message = String.valueOf(e.getMessage());
            if (message.startsWith("value of field")) {
                throw new CommandException("ERR hash value is not a float");
            }
            if (message.startsWith("increment is infinite")) {
                throw new CommandException("ERR value is NaN or Infinity");
            }
            throw e;
        }
    }

    /**
     * HRANDFIELD key [count [WITHVALUES]]: the count is read (and the option checked) before
     * the key is looked at. With a count the reply is an array, empty for a missing key; with
     * values, RESP3 pairs each field with its value in an array of two, RESP2 flattens them.
     */
    private static void hrandField(Session s, Arguments a, Reply r) {
        String key = a.key(1);
        if (a.count() == 2) {
            String field = s.views().hashes().hrandField(key);
            if (field == null) {
                r.writeNullBulk();
            } else {
                Replies.key(r, field);
            }
            return;
        }
        long count = randomCount(a, 2);
        if (a.count() > 4 || (a.count() == 4 && !a.is(3, "WITHVALUES"))) {
            throw Arguments.syntax();
        }
        boolean withValues = a.count() == 4;
        // A hash holds far fewer fields than MAX_PICKS, so a larger positive count asks for all
        // of them; a larger negative count is answerable only for a missing hash (none).
        List<Map.Entry<String, byte[]>> picked = count >= -MAX_PICKS
                ? s.views().hashes().hrandFieldWithValues(key, Math.min(count, MAX_PICKS))
                : s.atomically(views -> views.hashes().hlen(key) == 0 ? List.<Map.Entry<String, byte[]>>of()
                        : views.hashes().hrandFieldWithValues(key, count));
        if (!withValues) {
            r.writeArrayLength(picked.size());
            for (Map.Entry<String, byte[]> entry : picked) {
                Replies.key(r, entry.getKey());
            }
            return;
        }
        boolean pairs = r.protocol() >= 3;
        r.writeArrayLength(pairs ? picked.size() : picked.size() * 2L);
        for (Map.Entry<String, byte[]> entry : picked) {
            if (pairs) {
                r.writeArrayLength(2);
            }
            Replies.key(r, entry.getKey());
            r.writeBulk(entry.getValue());
        }
    }

    /**
     * HRANDFIELD's and SRANDMEMBER's count: an integer from {@code -Long.MAX_VALUE} to
     * {@code Long.MAX_VALUE} (the negation of a negative count must fit).
     */
    static long randomCount(Arguments a, int index) {
        long count = a.integer(index);
        if (count == Long.MIN_VALUE) {
            throw new CommandException(COUNT_RANGE);
        }
        return count;
    }

    /**
     * HSCAN key cursor [MATCH pattern] [COUNT count]. Redis reads the cursor first, then
     * answers a missing key with an empty page and a key of another type with WRONGTYPE, and
     * only then reads the options: a bad option is an error only for a hash that exists.
     */
    private static void hscan(Session s, Arguments a, Reply r) {
        long cursor = KeyFamily.parseCursor(a.bytes(2));
        String key = a.key(1);
        HashCommands hashes = s.views().hashes();
        ScanArgs args;
        try {
            args = scanArgs(a, 3);
        } catch (CommandException e) {
            if (hashes.hlen(key) == 0) {
                emptyScan(r);
                return;
            }
            throw e;
        }
        ScanPage<Map.Entry<String, byte[]>> page = hashes.hscan(key, cursor, args);
        r.writeArrayLength(2);
        r.writeBulk(Long.toUnsignedString(page.cursor()));
        r.writeArrayLength(page.items().size() * 2L);
        for (Map.Entry<String, byte[]> entry : page.items()) {
            Replies.key(r, entry.getKey());
            r.writeBulk(entry.getValue());
        }
    }

    /** The options of HSCAN, SSCAN (and ZSCAN) from argument {@code from} on: MATCH and COUNT, as Redis parses them. */
    static ScanArgs scanArgs(Arguments a, int from) {
        ScanArgs args = ScanArgs.DEFAULT;
        for (int i = from; i < a.count(); i++) {
            boolean more = i + 1 < a.count();
            if (a.is(i, "COUNT") && more) {
                long count = a.integer(++i);
                if (count < 1) {
                    throw Arguments.syntax();
                }
                args = args.count((int) Math.min(count, Integer.MAX_VALUE));
            } else if (a.is(i, "MATCH") && more) {
                args = args.match(a.key(++i));
            } else {
                throw Arguments.syntax();
            }
        }
        return args;
    }

    /** The page Redis answers for a scan of a missing key: cursor 0, no items. */
    static void emptyScan(Reply r) {
        r.writeArrayLength(2);
        r.writeBulk("0");
        r.writeArrayLength(0);
    }
}
