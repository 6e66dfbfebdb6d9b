package dev.cairn.dictionary.command;

import static dev.cairn.dictionary.command.CommandFlag.BLOCKING;
import static dev.cairn.dictionary.command.CommandFlag.DENYOOM;
import static dev.cairn.dictionary.command.CommandFlag.FAST;
import static dev.cairn.dictionary.command.CommandFlag.NOSCRIPT;
import static dev.cairn.dictionary.command.CommandFlag.READONLY;
import static dev.cairn.dictionary.command.CommandFlag.WRITE;
import static dev.cairn.dictionary.command.CommandTable.flags;

import dev.cairn.dictionary.KeyType;
import dev.cairn.dictionary.KeyValue;
import dev.cairn.dictionary.ListCommands;
import dev.cairn.dictionary.ListEnd;
import dev.cairn.dictionary.ListInsert;
import dev.cairn.dictionary.LposArgs;
import dev.cairn.dictionary.Transaction;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.List;

/**
 * The commands on list values (Redis's {@code list} group), with the blocking pops and moves.
 *
 * <p>Redis checks some arguments only after it has looked the key up (LSET answers {@code no such
 * key} before it reads the index) and others before (LRANGE's indexes come first). Where the
 * dictionary's API would take the other order, the handler parses first and, only when parsing
 * fails, looks at the key to choose the error Redis would have given.
 *
 * <p>The blocking commands call the API's asynchronous forms and answer through
 * {@link PendingReply}: a session that can block gets the pending reply and no thread waits;
 * otherwise the calling thread waits. Inside an exclusive block they answer at once, as Redis
 * does inside MULTI.
 */
final class ListFamily {
    private static final String GROUP = "list";
    private static final String COUNT_NOT_POSITIVE = "ERR value is out of range, must be positive";

    private ListFamily() {
    }

    static void register(CommandTable.Builder b) {
        b.add("lpush", -3, GROUP, flags(WRITE, DENYOOM, FAST), 1, 1, 1,
                (s, a, r) -> r.writeInteger(s.views().lists().lpush(a.key(1), a.bytesFrom(2))));
        b.add("rpush", -3, GROUP, flags(WRITE, DENYOOM, FAST), 1, 1, 1,
                (s, a, r) -> r.writeInteger(s.views().lists().rpush(a.key(1), a.bytesFrom(2))));
        b.add("lpushx", -3, GROUP, flags(WRITE, DENYOOM, FAST), 1, 1, 1,
                (s, a, r) -> r.writeInteger(s.views().lists().lpushx(a.key(1), a.bytesFrom(2))));
        b.add("rpushx", -3, GROUP, flags(WRITE, DENYOOM, FAST), 1, 1, 1,
                (s, a, r) -> r.writeInteger(s.views().lists().rpushx(a.key(1), a.bytesFrom(2))));
        b.add("lpop", -2, GROUP, flags(WRITE, FAST), 1, 1, 1, (s, a, r) -> pop(s, a, r, ListEnd.LEFT));
        b.add("rpop", -2, GROUP, flags(WRITE, FAST), 1, 1, 1, (s, a, r) -> pop(s, a, r, ListEnd.RIGHT));
        b.add("llen", 2, GROUP, flags(READONLY, FAST), 1, 1, 1,
                (s, a, r) -> r.writeInteger(s.views().lists().llen(a.key(1))));
        b.add("lrange", 4, GROUP, flags(READONLY), 1, 1, 1, (s, a, r) -> {
            long start = a.integer(2);
            long stop = a.integer(3);
            Replies.bulks(r, s.views().lists().lrange(a.key(1), start, stop));
        });
        b.add("lindex", 3, GROUP, flags(READONLY), 1, 1, 1, ListFamily::lindex);
        b.add("lset", 4, GROUP, flags(WRITE, DENYOOM), 1, 1, 1, ListFamily::lset);
        b.add("linsert", 5, GROUP, flags(WRITE, DENYOOM), 1, 1, 1, ListFamily::linsert);
        b.add("lrem", 4, GROUP, flags(WRITE), 1, 1, 1, (s, a, r) -> {
            long count = a.integer(2);
            r.writeInteger(s.views().lists().lrem(a.key(1), count, a.bytes(3)));
        });
        b.add("ltrim", 4, GROUP, flags(WRITE), 1, 1, 1, (s, a, r) -> {
            long start = a.integer(2);
            long stop = a.integer(3);
            s.views().lists().ltrim(a.key(1), start, stop);
            Replies.ok(r);
        });
        b.add("lpos", -3, GROUP, flags(READONLY), 1, 1, 1, ListFamily::lpos);
        b.add("lmove", 5, GROUP, flags(WRITE, DENYOOM), 1, 2, 1, (s, a, r) -> {
            ListEnd from = end(a, 3);
            ListEnd to = end(a, 4);
            Replies.bulkOrNull(r, s.views().lists().lmove(a.key(1), a.key(2), from, to));
        });
        b.add("rpoplpush", 3, GROUP, flags(WRITE, DENYOOM), 1, 2, 1, (s, a, r) -> Replies.bulkOrNull(r,
                s.views().lists().lmove(a.key(1), a.key(2), ListEnd.RIGHT, ListEnd.LEFT)));
        b.add("blpop", -3, GROUP, flags(WRITE, NOSCRIPT, BLOCKING), 1, -2, 1,
                (s, a, r) -> blockingPop(s, a, r, ListEnd.LEFT));
        b.add("brpop", -3, GROUP, flags(WRITE, NOSCRIPT, BLOCKING), 1, -2, 1,
                (s, a, r) -> blockingPop(s, a, r, ListEnd.RIGHT));
        b.add("blmove", 6, GROUP, flags(WRITE, DENYOOM, NOSCRIPT, BLOCKING), 1, 2, 1, (s, a, r) -> {
            ListEnd from = end(a, 3);
            ListEnd to = end(a, 4);
            blockingMove(s, a, r, from, to, a.timeoutNanos(5));
        });
        b.add("brpoplpush", 4, GROUP, flags(WRITE, DENYOOM, NOSCRIPT, BLOCKING), 1, 2, 1,
                (s, a, r) -> blockingMove(s, a, r, ListEnd.RIGHT, ListEnd.LEFT, a.timeoutNanos(3)));
    }

    /**
     * LPOP / RPOP key [count]: without a count the element or a null bulk; with one an array, a
     * null array for a missing key, an empty array for a count of 0 (after the type check).
     */
    private static void pop(Session s, Arguments a, Reply r, ListEnd end) {
        if (a.count() > 3) {
            throw a.wrongArity();
        }
        ListCommands lists = s.views().lists();
        String key = a.key(1);
        if (a.count() == 2) {
            Replies.bulkOrNull(r, end == ListEnd.LEFT ? lists.lpop(key) : lists.rpop(key));
            return;
        }
        long count = nonNegativeOrError(a, 2, COUNT_NOT_POSITIVE);
        List<byte[]> popped = end == ListEnd.LEFT ? lists.lpop(key, count) : lists.rpop(key, count);
        if (popped == null) {
            r.writeNullArray();
        } else {
            Replies.bulks(r, popped);
        }
    }

    /** LINDEX key index: a missing key answers null, and another type WRONGTYPE, before a bad index. */
    private static void lindex(Session s, Arguments a, Reply r) {
        String key = a.key(1);
        Long index = Arguments.parseLong(a.bytes(2));
        if (index == null) {
            KeyType type = s.views().keys().type(key);
            if (type == KeyType.NONE) {
                r.writeNullBulk();
                return;
            }
            if (type != KeyType.LIST) {
                throw new CommandException(ErrorReplies.WRONGTYPE);
            }
            throw new CommandException(Arguments.NOT_AN_INTEGER);
        }
        Replies.bulkOrNull(r, s.views().lists().lindex(key, index));
    }

    /** LSET key index element: a missing key or another type is reported before a bad index. */
    private static void lset(Session s, Arguments a, Reply r) {
        String key = a.key(1);
        Long index = Arguments.parseLong(a.bytes(2));
        if (index == null) {
            requireList(s, key);
            throw new CommandException(Arguments.NOT_AN_INTEGER);
        }
        s.views().lists().lset(key, index, a.bytes(3));
        Replies.ok(r);
    }

    /** Throws Redis's error for a key that is missing ({@code no such key}) or not a list. */
    private static void requireList(Session s, String key) {
        KeyType type = s.views().keys().type(key);
        if (type == KeyType.NONE) {
            throw new CommandException("ERR no such key");
        }
        if (type != KeyType.LIST) {
            throw new CommandException(ErrorReplies.WRONGTYPE);
        }
    }

    /** LINSERT key BEFORE|AFTER pivot element. */
    private static void linsert(Session s, Arguments a, Reply r) {
        ListInsert where;
        if (a.is(2, "AFTER")) {
            where = ListInsert.AFTER;
        } else if (a.is(2, "BEFORE")) {
            where = ListInsert.BEFORE;
        } else {
            throw Arguments.syntax();
        }
        r.writeInteger(s.views().lists().linsert(a.key(1), where, a.bytes(3), a.bytes(4)));
    }

    /**
     * LPOS key element [RANK rank] [COUNT count] [MAXLEN len]: options are checked one by one in
     * the order given, before the key; without COUNT an index or null, with it an array.
     */
    private static void lpos(Session s, Arguments a, Reply r) {
        long rank = 1;
        long count = -1;
        long maxLen = 0;
        for (int i = 3; i < a.count(); i++) {
            boolean more = i + 1 < a.count();
            if (a.is(i, "RANK") && more) {
                rank = a.integer(++i);
                if (rank == Long.MIN_VALUE) {
                    // Redis 7.0 negates it into itself and then takes every match from the tail
                    // as reaching the rank: the first match from the tail, as -1.
                    rank = -1;
                }
                if (rank == 0) {
                    throw new CommandException("ERR RANK can't be zero: use 1 to start from the first match, "
                            + "2 from the second ... or use negative to start from the end of the list");
                }
            } else if (a.is(i, "COUNT") && more) {
                count = nonNegativeOrError(a, ++i, "ERR COUNT can't be negative");
            } else if (a.is(i, "MAXLEN") && more) {
                maxLen = nonNegativeOrError(a, ++i, "ERR MAXLEN can't be negative");
            } else {
                throw Arguments.syntax();
            }
        }
        LposArgs args = new LposArgs(rank, maxLen);
        ListCommands lists = s.views().lists();
        if (count < 0) {
            Long index = lists.lpos(a.key(1), a.bytes(2), args);
            if (index == null) {
                r.writeNullBulk();
            } else {
                r.writeInteger(index);
            }
            return;
        }
        List<Long> indexes = lists.lpos(a.key(1), a.bytes(2), args, count);
        r.writeArrayLength(indexes.size());
        for (long index : indexes) {
            r.writeInteger(index);
        }
    }

    /** A non-negative integer, with {@code errorReply} for anything else (Redis uses it for both). */
    private static long nonNegativeOrError(Arguments a, int index, String errorReply) {
        long value = a.integer(index, errorReply);
        if (value < 0) {
            throw new CommandException(errorReply);
        }
        return value;
    }

    /** LEFT or RIGHT, in any case. */
    private static ListEnd end(Arguments a, int index) {
        if (a.is(index, "LEFT")) {
            return ListEnd.LEFT;
        }
        if (a.is(index, "RIGHT")) {
            return ListEnd.RIGHT;
        }
        throw Arguments.syntax();
    }

    /** BLPOP / BRPOP key [key ...] timeout: the key and element, or a null array on timeout. */
    private static void blockingPop(Session s, Arguments a, Reply r, ListEnd end) {
        long timeoutNanos = a.timeoutNanos(a.count() - 1);
        String[] keys = a.keys(1, a.count() - 1);
        ListCommands lists = s.views().lists();
        CompletableFuture<KeyValue> popped;
        if (timeoutNanos == 0) {
            popped = end == ListEnd.LEFT ? lists.blpopAsync(keys) : lists.brpopAsync(keys);
        } else {
            Duration timeout = Duration.ofNanos(timeoutNanos);
            popped = end == ListEnd.LEFT ? lists.blpopAsync(timeout, keys) : lists.brpopAsync(timeout, keys);
        }
        PendingReply.answer(s, a, r, popped, ListFamily::writePopped);
    }

    private static void writePopped(KeyValue popped, Reply r) {
        if (popped == null) {
            r.writeNullArray();
            return;
        }
        r.writeArrayLength(2);
        Replies.key(r, popped.key());
        r.writeBulk(popped.value());
    }

    /**
     * BLMOVE and BRPOPLPUSH: the element moved, or on timeout a null array; inside MULTI (an
     * exclusive block, where nothing waits) Redis answers a null bulk instead.
     */
    private static void blockingMove(Session s, Arguments a, Reply r, ListEnd from, ListEnd to, long timeoutNanos) {
        ListCommands lists = s.views().lists();
        String source = a.key(1);
        String destination = a.key(2);
        CompletableFuture<byte[]> moved = timeoutNanos == 0
                ? lists.blmoveAsync(source, destination, from, to)
                : lists.blmoveAsync(source, destination, from, to, Duration.ofNanos(timeoutNanos));
        boolean inMulti = s.views() instanceof Transaction;
        PendingReply.answer(s, a, r, moved, (element, reply) -> {
            if (element != null) {
                reply.writeBulk(element);
            } else if (inMulti) {
                reply.writeNullBulk();
            } else {
                reply.writeNullArray();
            }
        });
    }
}
