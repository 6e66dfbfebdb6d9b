package dev.cairn.dictionary.command;

import static dev.cairn.dictionary.command.CommandFlag.DENYOOM;
import static dev.cairn.dictionary.command.CommandFlag.FAST;
import static dev.cairn.dictionary.command.CommandFlag.READONLY;
import static dev.cairn.dictionary.command.CommandFlag.WRITE;
import static dev.cairn.dictionary.command.CommandTable.flags;

import dev.cairn.dictionary.ScanArgs;
import dev.cairn.dictionary.ScanPage;
import dev.cairn.dictionary.SetCommands;
import java.util.List;

/**
 * The commands on set values (Redis's {@code set} group). Members are raw bytes. Answers that
 * are sets in Redis 7 (SMEMBERS, SINTER, SUNION, SDIFF, SPOP with a count) are RESP3 sets;
 * SRANDMEMBER with a count, which may repeat members, is an array. Arguments are checked in the
 * order Redis 7.0 checks them (SPOP's and SRANDMEMBER's count before the key's type, SSCAN's
 * cursor before the key, its options only for a set that exists).
 */
final class SetFamily {
    private static final String GROUP = "set";
    private static final String MUST_BE_POSITIVE = "ERR value is out of range, must be positive";

    private SetFamily() {
    }

    static void register(CommandTable.Builder b) {
        b.add("sadd", -3, GROUP, flags(WRITE, DENYOOM, FAST), 1, 1, 1,
                (s, a, r) -> r.writeInteger(s.views().sets().sadd(a.key(1), a.bytesFrom(2))));
        b.add("srem", -3, GROUP, flags(WRITE, FAST), 1, 1, 1,
                (s, a, r) -> r.writeInteger(s.views().sets().srem(a.key(1), a.bytesFrom(2))));
        b.add("smembers", 2, GROUP, flags(READONLY), 1, 1, 1,
                (s, a, r) -> Replies.bulkSet(r, s.views().sets().smembers(a.key(1))));
        b.add("sismember", 3, GROUP, flags(READONLY, FAST), 1, 1, 1,
                (s, a, r) -> Replies.flag(r, s.views().sets().sismember(a.key(1), a.bytes(2))));
        b.add("smismember", -3, GROUP, flags(READONLY, FAST), 1, 1, 1, (s, a, r) -> {
            List<Boolean> found = s.views().sets().smismember(a.key(1), a.bytesFrom(2));
            r.writeArrayLength(found.size());
            for (boolean member : found) {
                Replies.flag(r, member);
            }
        });
        b.add("scard", 2, GROUP, flags(READONLY, FAST), 1, 1, 1,
                (s, a, r) -> r.writeInteger(s.views().sets().scard(a.key(1))));
        b.add("spop", -2, GROUP, flags(WRITE, FAST), 1, 1, 1, SetFamily::spop);
        b.add("srandmember", -2, GROUP, flags(READONLY), 1, 1, 1, SetFamily::srandmember);
        b.add("smove", 4, GROUP, flags(WRITE, FAST), 1, 2, 1,
                (s, a, r) -> Replies.flag(r, s.views().sets().smove(a.key(1), a.key(2), a.bytes(3))));
        b.add("sinter", -2, GROUP, flags(READONLY), 1, -1, 1,
                (s, a, r) -> Replies.bulkSet(r, s.views().sets().sinter(a.keysFrom(1))));
        // Redis finds SINTERCARD's keys through numkeys (COMMAND reports "movablekeys" and no
        // fixed key range): first, last and step are 0 here as there.
        b.add("sintercard", -3, GROUP, flags(READONLY), 0, 0, 0, SetFamily::sintercard);
        b.add("sunion", -2, GROUP, flags(READONLY), 1, -1, 1,
                (s, a, r) -> Replies.bulkSet(r, s.views().sets().sunion(a.keysFrom(1))));
        b.add("sdiff", -2, GROUP, flags(READONLY), 1, -1, 1,
                (s, a, r) -> Replies.bulkSet(r, s.views().sets().sdiff(a.keysFrom(1))));
        b.add("sinterstore", -3, GROUP, flags(WRITE, DENYOOM), 1, -1, 1,
                (s, a, r) -> r.writeInteger(s.views().sets().sinterstore(a.key(1), a.keysFrom(2))));
        b.add("sunionstore", -3, GROUP, flags(WRITE, DENYOOM), 1, -1, 1,
                (s, a, r) -> r.writeInteger(s.views().sets().sunionstore(a.key(1), a.keysFrom(2))));
        b.add("sdiffstore", -3, GROUP, flags(WRITE, DENYOOM), 1, -1, 1,
                (s, a, r) -> r.writeInteger(s.views().sets().sdiffstore(a.key(1), a.keysFrom(2))));
        b.add("sscan", -3, GROUP, flags(READONLY), 1, 1, 1, SetFamily::sscan);
    }

    /**
     * SPOP key [count]: without a count a bulk (null for a missing key); with one a set, empty
     * for a missing key or a count of 0. Redis words any bad count, even one that is not a
     * number, as not positive.
     */
    private static void spop(Session s, Arguments a, Reply r) {
        if (a.count() > 3) {
            throw Arguments.syntax();
        }
        SetCommands sets = s.views().sets();
        if (a.count() == 2) {
            Replies.bulkOrNull(r, sets.spop(a.key(1)));
            return;
        }
        long count = a.integer(2, MUST_BE_POSITIVE);
        if (count < 0) {
            throw new CommandException(MUST_BE_POSITIVE);
        }
        Replies.bulkSet(r, sets.spop(a.key(1), count));
    }

    /**
     * SRANDMEMBER key [count]: without a count a bulk (null for a missing key); with one an
     * array, empty for a missing key. A negative count picks with repetition.
     */
    private static void srandmember(Session s, Arguments a, Reply r) {
        if (a.count() > 3) {
            throw Arguments.syntax();
        }
        String key = a.key(1);
        if (a.count() == 2) {
            Replies.bulkOrNull(r, s.views().sets().srandmember(key));
            return;
        }
        long count = HashFamily.randomCount(a, 2);
        // The dictionary answers at most MAX_PICKS repeated picks; more is answerable only for
        // a missing set (none). A larger positive count asks for the whole set either way.
        List<byte[]> picked = count >= -HashFamily.MAX_PICKS
                ? s.views().sets().srandmember(key, Math.min(count, HashFamily.MAX_PICKS))
                : s.atomically(views -> views.sets().scard(key) == 0 ? List.<byte[]>of()
                        : views.sets().srandmember(key, count));
        Replies.bulks(r, picked);
    }

    /**
     * SINTERCARD numkeys key [key ...] [LIMIT limit]: numkeys at least 1 and no more than the
     * arguments after it; a bad number is worded as its range error, as Redis does.
     */
    private static void sintercard(Session s, Arguments a, Reply r) {
        String numKeysError = "ERR numkeys should be greater than 0";
        long numKeys = a.integer(1, numKeysError);
        if (numKeys < 1) {
            throw new CommandException(numKeysError);
        }
        if (numKeys > a.count() - 2) {
            throw new CommandException("ERR Number of keys can't be greater than number of args");
        }
        int end = 2 + (int) numKeys;
        long limit = 0;
        for (int i = end; i < a.count(); i++) {
            if (a.is(i, "LIMIT") && i + 1 < a.count()) {
                String limitError = "ERR LIMIT can't be negative";
                limit = a.integer(++i, limitError);
                if (limit < 0) {
                    throw new CommandException(limitError);
                }
            } else {
                throw Arguments.syntax();
            }
        }
        r.writeInteger(s.views().sets().sintercard(limit, a.keys(2, end)));
    }

    /** SSCAN key cursor [MATCH pattern] [COUNT count], in HSCAN's order of checks. */
    private static void sscan(Session s, Arguments a, Reply r) {
        long cursor = KeyFamily.parseCursor(a.bytes(2));
        String key = a.key(1);
        SetCommands sets = s.views().sets();
        ScanArgs args;
        try {
            args = HashFamily.scanArgs(a, 3);
        } catch (CommandException e) {
            if (sets.scard(key) == 0) {
                HashFamily.emptyScan(r);
                return;
            }
            throw e;
        }
        ScanPage<byte[]> page = sets.sscan(key, cursor, args);
        r.writeArrayLength(2);
        r.writeBulk(Long.toUnsignedString(page.cursor()));
        Replies.bulks(r, page.items());
    }
}
