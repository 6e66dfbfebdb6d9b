package dev.cairn.dictionary.command;

import static dev.cairn.dictionary.command.CommandFlag.BLOCKING;
import static dev.cairn.dictionary.command.CommandFlag.MOVABLEKEYS;
import static dev.cairn.dictionary.command.CommandFlag.READONLY;
import static dev.cairn.dictionary.command.CommandFlag.WRITE;
import static dev.cairn.dictionary.command.CommandTable.flags;

import dev.cairn.dictionary.KeyScoredMembers;
import dev.cairn.dictionary.KeyValues;
import dev.cairn.dictionary.ListEnd;
import dev.cairn.dictionary.ScoreEnd;
import dev.cairn.dictionary.ScoredMember;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The commands that take a count of keys and work on the first that holds data (Redis 7's
 * {@code numkeys} commands): LMPOP, BLMPOP, ZMPOP, BZMPOP, and ZINTERCARD, parsed as Redis 7.0's
 * {@code lmpopGenericCommand}, {@code zmpopGenericCommand} and {@code zinterCardCommand} do.
 */
final class MultiKeyPopFamily {
    private static final String NUMKEYS = "ERR numkeys should be greater than 0";
    private static final String COUNT = "ERR count should be greater than 0";

    private MultiKeyPopFamily() {
    }

    static void register(CommandTable.Builder b) {
        b.add("lmpop", -4, "list", flags(WRITE, MOVABLEKEYS), 0, 0, 0, (s, a, r) -> listPop(s, a, r, 1, -1));
        b.add("blmpop", -5, "list", flags(WRITE, BLOCKING, MOVABLEKEYS), 0, 0, 0,
                (s, a, r) -> listPop(s, a, r, 2, a.timeoutNanos(1)));
        b.add("zmpop", -4, "sorted-set", flags(WRITE, MOVABLEKEYS), 0, 0, 0, (s, a, r) -> sortedSetPop(s, a, r, 1, -1));
        b.add("bzmpop", -5, "sorted-set", flags(WRITE, BLOCKING, MOVABLEKEYS), 0, 0, 0,
                (s, a, r) -> sortedSetPop(s, a, r, 2, a.timeoutNanos(1)));
        b.add("zintercard", -3, "sorted-set", flags(READONLY, MOVABLEKEYS), 0, 0, 0, MultiKeyPopFamily::zintercard);
    }

    /** The parsed common part: the keys, the word after them, and COUNT. */
    private record Parsed(String[] keys, int whereIndex, long count) {
    }

    private static Parsed parse(Arguments a, int numkeysIndex) {
        long numkeys = a.integer(numkeysIndex, NUMKEYS);
        if (numkeys < 1) {
            throw new CommandException(NUMKEYS);
        }
        long whereIndex = numkeysIndex + numkeys + 1;
        if (whereIndex >= a.count()) {
            throw Arguments.syntax();
        }
        long count = -1;
        for (int j = (int) whereIndex + 1; j < a.count(); j++) {
            boolean more = j + 1 < a.count();
            if (count == -1 && a.is(j, "COUNT") && more) {
                j++;
                count = a.integer(j, COUNT);
                if (count < 1) {
                    throw new CommandException(COUNT);
                }
            } else {
                throw Arguments.syntax();
            }
        }
        return new Parsed(a.keys(numkeysIndex + 1, (int) whereIndex), (int) whereIndex, count == -1 ? 1 : count);
    }

    /** LMPOP numkeys key... LEFT|RIGHT [COUNT n]; BLMPOP timeout numkeys ... */
    private static void listPop(Session s, Arguments a, Reply r, int numkeysIndex, long timeoutNanos) {
        Parsed p = parse(a, numkeysIndex);
        ListEnd end;
        if (a.is(p.whereIndex(), "LEFT")) {
            end = ListEnd.LEFT;
        } else if (a.is(p.whereIndex(), "RIGHT")) {
            end = ListEnd.RIGHT;
        } else {
            throw Arguments.syntax();
        }
        if (timeoutNanos < 0) {
            writeList(s.views().lists().lmpop(end, p.count(), p.keys()), r);
            return;
        }
        CompletableFuture<KeyValues> popped = timeoutNanos == 0 ? s.views().lists().blmpopAsync(end, p.count(), p.keys())
                : s.views().lists().blmpopAsync(Duration.ofNanos(timeoutNanos), end, p.count(), p.keys());
        PendingReply.answer(s, a, r, popped, MultiKeyPopFamily::writeList);
    }

    private static void writeList(KeyValues popped, Reply r) {
        if (popped == null) {
            r.writeNullArray();
            return;
        }
        r.writeArrayLength(2);
        Replies.key(r, popped.key());
        Replies.bulks(r, popped.values());
    }

    /** ZMPOP numkeys key... MIN|MAX [COUNT n]; BZMPOP timeout numkeys ... */
    private static void sortedSetPop(Session s, Arguments a, Reply r, int numkeysIndex, long timeoutNanos) {
        Parsed p = parse(a, numkeysIndex);
        ScoreEnd end;
        if (a.is(p.whereIndex(), "MIN")) {
            end = ScoreEnd.MIN;
        } else if (a.is(p.whereIndex(), "MAX")) {
            end = ScoreEnd.MAX;
        } else {
            throw Arguments.syntax();
        }
        if (timeoutNanos < 0) {
            writeSortedSet(s.views().sortedSets().zmpop(end, p.count(), p.keys()), r);
            return;
        }
        CompletableFuture<KeyScoredMembers> popped = timeoutNanos == 0
                ? s.views().sortedSets().bzmpopAsync(end, p.count(), p.keys())
                : s.views().sortedSets().bzmpopAsync(Duration.ofNanos(timeoutNanos), end, p.count(), p.keys());
        PendingReply.answer(s, a, r, popped, MultiKeyPopFamily::writeSortedSet);
    }

    private static void writeSortedSet(KeyScoredMembers popped, Reply r) {
        if (popped == null) {
            r.writeNullArray();
            return;
        }
        r.writeArrayLength(2);
        Replies.key(r, popped.key());
        r.writeArrayLength(popped.members().size());
        for (ScoredMember member : popped.members()) {
            r.writeArrayLength(2);
            r.writeBulk(member.member());
            r.writeDouble(member.score());
        }
    }

    /** ZINTERCARD numkeys key... [LIMIT n]. */
    private static void zintercard(Session s, Arguments a, Reply r) {
        long numkeys = a.integer(1);
        if (numkeys < 1) {
            throw new CommandException("ERR at least 1 input key is needed for 'zintercard' command");
        }
        if (numkeys > a.count() - 2) {
            // Redis 7.0 (zunionInterDiffGenericCommand) answers a syntax error here.
            throw Arguments.syntax();
        }
        long limit = 0;
        for (int j = 2 + (int) numkeys; j < a.count(); j++) {
            if (a.is(j, "LIMIT") && j + 1 < a.count()) {
                limit = a.integer(++j, "ERR LIMIT can't be negative");
                if (limit < 0) {
                    throw new CommandException("ERR LIMIT can't be negative");
                }
            } else {
                throw Arguments.syntax();
            }
        }
        r.writeInteger(s.views().sortedSets().zintercard(limit, a.keys(2, 2 + (int) numkeys)));
    }
}
