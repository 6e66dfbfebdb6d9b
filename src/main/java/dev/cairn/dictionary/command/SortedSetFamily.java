package dev.cairn.dictionary.command;

import static dev.cairn.dictionary.command.CommandFlag.BLOCKING;
import static dev.cairn.dictionary.command.CommandFlag.DENYOOM;
import static dev.cairn.dictionary.command.CommandFlag.FAST;
import static dev.cairn.dictionary.command.CommandFlag.MOVABLEKEYS;
import static dev.cairn.dictionary.command.CommandFlag.NOSCRIPT;
import static dev.cairn.dictionary.command.CommandFlag.READONLY;
import static dev.cairn.dictionary.command.CommandFlag.WRITE;
import static dev.cairn.dictionary.command.CommandTable.flags;

import dev.cairn.dictionary.Aggregate;
import dev.cairn.dictionary.KeyScoredMember;
import dev.cairn.dictionary.KeyType;
import dev.cairn.dictionary.LexRange;
import dev.cairn.dictionary.ScanArgs;
import dev.cairn.dictionary.ScanPage;
import dev.cairn.dictionary.ScoreRange;
import dev.cairn.dictionary.ScoredMember;
import dev.cairn.dictionary.SortedSetCommands;
import dev.cairn.dictionary.ZAddArgs;
import dev.cairn.dictionary.ZRange;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The commands on sorted-set values (Redis's {@code sorted-set} group), with the blocking pops.
 *
 * <p>Arguments are checked in Redis 7.0's order. Where Redis looks at the keys before it has read
 * every option (ZUNIONSTORE's inputs are typed before its WEIGHTS; ZSCAN answers an empty scan for
 * a missing key whatever its options), the handler parses first and, only when parsing fails,
 * looks at the keys to choose the answer Redis would have given.
 */
final class SortedSetFamily {
    private static final String GROUP = "sorted-set";
    private static final String COUNT_NOT_POSITIVE = "ERR value is out of range, must be positive";
    private static final String NOT_A_FLOAT_RANGE = "ERR min or max is not a float";
    private static final String NOT_A_LEX_RANGE = "ERR min or max not valid string range item";
    private static final Comparator<ScoredMember> BY_SCORE_THEN_MEMBER = Comparator
            .comparingDouble(ScoredMember::score)
            .thenComparing(ScoredMember::member, Arrays::compareUnsigned);

    /** What a ZRANGE-family command ranges over, before its options have been read. */
    private enum By { AUTO, RANK, SCORE, LEX }

    /** A set operation of ZUNION, ZINTER, ZDIFF and their STORE forms. */
    private enum SetOp { UNION, INTER, DIFF }

    private SortedSetFamily() {
    }

    static void register(CommandTable.Builder b) {
        b.add("zadd", -4, GROUP, flags(WRITE, DENYOOM, FAST), 1, 1, 1, SortedSetFamily::zadd);
        b.add("zincrby", 4, GROUP, flags(WRITE, DENYOOM, FAST), 1, 1, 1, (s, a, r) -> {
            double increment = a.decimal(2);
            r.writeDouble(s.views().sortedSets().zincrby(a.key(1), increment, a.bytes(3)));
        });
        b.add("zrem", -3, GROUP, flags(WRITE, FAST), 1, 1, 1,
                (s, a, r) -> r.writeInteger(s.views().sortedSets().zrem(a.key(1), a.bytesFrom(2))));
        b.add("zscore", 3, GROUP, flags(READONLY, FAST), 1, 1, 1,
                (s, a, r) -> doubleOrNull(r, s.views().sortedSets().zscore(a.key(1), a.bytes(2))));
        b.add("zmscore", -3, GROUP, flags(READONLY, FAST), 1, 1, 1, (s, a, r) -> {
            List<Double> scores = s.views().sortedSets().zmscore(a.key(1), a.bytesFrom(2));
            r.writeArrayLength(scores.size());
            for (Double score : scores) {
                doubleOrNull(r, score);
            }
        });
        b.add("zcard", 2, GROUP, flags(READONLY, FAST), 1, 1, 1,
                (s, a, r) -> r.writeInteger(s.views().sortedSets().zcard(a.key(1))));
        b.add("zcount", 4, GROUP, flags(READONLY, FAST), 1, 1, 1, (s, a, r) -> {
            ScoreRange range = scoreRange(a, 2, 3);
            r.writeInteger(s.views().sortedSets().zcount(a.key(1), range));
        });
        b.add("zlexcount", 4, GROUP, flags(READONLY, FAST), 1, 1, 1, (s, a, r) -> {
            LexRange range = lexRange(a, 2, 3);
            r.writeInteger(s.views().sortedSets().zlexcount(a.key(1), range));
        });
        b.add("zrange", -4, GROUP, flags(READONLY), 1, 1, 1,
                (s, a, r) -> zrange(s, a, r, false, By.AUTO, null));
        b.add("zrangebyscore", -4, GROUP, flags(READONLY), 1, 1, 1,
                (s, a, r) -> zrange(s, a, r, false, By.SCORE, false));
        b.add("zrevrangebyscore", -4, GROUP, flags(READONLY), 1, 1, 1,
                (s, a, r) -> zrange(s, a, r, false, By.SCORE, true));
        b.add("zrangebylex", -4, GROUP, flags(READONLY), 1, 1, 1,
                (s, a, r) -> zrange(s, a, r, false, By.LEX, false));
        b.add("zrevrangebylex", -4, GROUP, flags(READONLY), 1, 1, 1,
                (s, a, r) -> zrange(s, a, r, false, By.LEX, true));
        b.add("zrevrange", -4, GROUP, flags(READONLY), 1, 1, 1,
                (s, a, r) -> zrange(s, a, r, false, By.RANK, true));
        b.add("zrangestore", -5, GROUP, flags(WRITE, DENYOOM), 1, 2, 1,
                (s, a, r) -> zrange(s, a, r, true, By.AUTO, null));
        b.add("zrank", 3, GROUP, flags(READONLY, FAST), 1, 1, 1,
                (s, a, r) -> integerOrNull(r, s.views().sortedSets().zrank(a.key(1), a.bytes(2))));
        b.add("zrevrank", 3, GROUP, flags(READONLY, FAST), 1, 1, 1,
                (s, a, r) -> integerOrNull(r, s.views().sortedSets().zrevrank(a.key(1), a.bytes(2))));
        b.add("zremrangebyrank", 4, GROUP, flags(WRITE), 1, 1, 1, (s, a, r) -> {
            long start = a.integer(2);
            long stop = a.integer(3);
            r.writeInteger(s.views().sortedSets().zremrangebyrank(a.key(1), start, stop));
        });
        b.add("zremrangebyscore", 4, GROUP, flags(WRITE), 1, 1, 1, (s, a, r) -> {
            ScoreRange range = scoreRange(a, 2, 3);
            r.writeInteger(s.views().sortedSets().zremrangebyscore(a.key(1), range));
        });
        b.add("zremrangebylex", 4, GROUP, flags(WRITE), 1, 1, 1, (s, a, r) -> {
            LexRange range = lexRange(a, 2, 3);
            r.writeInteger(s.views().sortedSets().zremrangebylex(a.key(1), range));
        });
        b.add("zpopmin", -2, GROUP, flags(WRITE, FAST), 1, 1, 1, (s, a, r) -> zpop(s, a, r, true));
        b.add("zpopmax", -2, GROUP, flags(WRITE, FAST), 1, 1, 1, (s, a, r) -> zpop(s, a, r, false));
        b.add("bzpopmin", -3, GROUP, flags(WRITE, NOSCRIPT, BLOCKING, FAST), 1, -2, 1,
                (s, a, r) -> blockingPop(s, a, r, true));
        b.add("bzpopmax", -3, GROUP, flags(WRITE, NOSCRIPT, BLOCKING, FAST), 1, -2, 1,
                (s, a, r) -> blockingPop(s, a, r, false));
        b.add("zunionstore", -4, GROUP, flags(WRITE, DENYOOM, MOVABLEKEYS), 1, 1, 1,
                (s, a, r) -> setOperation(s, a, r, SetOp.UNION, true));
        b.add("zinterstore", -4, GROUP, flags(WRITE, DENYOOM, MOVABLEKEYS), 1, 1, 1,
                (s, a, r) -> setOperation(s, a, r, SetOp.INTER, true));
        b.add("zdiffstore", -4, GROUP, flags(WRITE, DENYOOM, MOVABLEKEYS), 1, 1, 1,
                (s, a, r) -> setOperation(s, a, r, SetOp.DIFF, true));
        b.add("zunion", -3, GROUP, flags(READONLY, MOVABLEKEYS), 0, 0, 0,
                (s, a, r) -> setOperation(s, a, r, SetOp.UNION, false));
        b.add("zinter", -3, GROUP, flags(READONLY, MOVABLEKEYS), 0, 0, 0,
                (s, a, r) -> setOperation(s, a, r, SetOp.INTER, false));
        b.add("zdiff", -3, GROUP, flags(READONLY, MOVABLEKEYS), 0, 0, 0,
                (s, a, r) -> setOperation(s, a, r, SetOp.DIFF, false));
        b.add("zrandmember", -2, GROUP, flags(READONLY), 1, 1, 1, SortedSetFamily::zrandmember);
        b.add("zscan", -3, GROUP, flags(READONLY), 1, 1, 1, SortedSetFamily::zscan);
    }

    private static void doubleOrNull(Reply r, Double value) {
        if (value == null) {
            r.writeNullBulk();
        } else {
            r.writeDouble(value);
        }
    }

    private static void integerOrNull(Reply r, Long value) {
        if (value == null) {
            r.writeNullBulk();
        } else {
            r.writeInteger(value);
        }
    }

    private static ScoreRange scoreRange(Arguments a, int minIndex, int maxIndex) {
        try {
            return ScoreRange.parse(a.text(minIndex), a.text(maxIndex));
        } catch (IllegalArgumentException e) {
            throw new CommandException(NOT_A_FLOAT_RANGE);
        }
    }

    private static LexRange lexRange(Arguments a, int minIndex, int maxIndex) {
        try {
            return LexRange.parse(a.bytes(minIndex), a.bytes(maxIndex));
        } catch (IllegalArgumentException e) {
            throw new CommandException(NOT_A_LEX_RANGE);
        }
    }

    /**
     * ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member ...: the options, then the pairs' count,
     * then the options' combinations, then every score, all before the key's type.
     */
    private static void zadd(Session s, Arguments a, Reply r) {
        boolean nx = false;
        boolean xx = false;
        boolean gt = false;
        boolean lt = false;
        boolean ch = false;
        boolean incr = false;
        int first = 2;
        for (; first < a.count(); first++) {
            if (a.is(first, "NX")) {
                nx = true;
            } else if (a.is(first, "XX")) {
                xx = true;
            } else if (a.is(first, "CH")) {
                ch = true;
            } else if (a.is(first, "INCR")) {
                incr = true;
            } else if (a.is(first, "GT")) {
                gt = true;
            } else if (a.is(first, "LT")) {
                lt = true;
            } else {
                break;
            }
        }
        int remaining = a.count() - first;
        if (remaining == 0 || remaining % 2 != 0) {
            throw Arguments.syntax();
        }
        if (nx && xx) {
            throw new CommandException("ERR XX and NX options at the same time are not compatible");
        }
        if ((gt || lt) && nx || gt && lt) {
            throw new CommandException("ERR GT, LT, and/or NX options at the same time are not compatible");
        }
        int pairs = remaining / 2;
        if (incr && pairs > 1) {
            throw new CommandException("ERR INCR option supports a single increment-element pair");
        }
        double[] scores = new double[pairs];
        for (int i = 0; i < pairs; i++) {
            scores[i] = a.decimal(first + 2 * i);
        }
        ZAddArgs args = ZAddArgs.DEFAULT;
        args = nx ? args.nx() : xx ? args.xx() : args;
        args = gt ? args.gt() : lt ? args.lt() : args;
        args = ch ? args.ch() : args;
        SortedSetCommands zsets = s.views().sortedSets();
        if (incr) {
            doubleOrNull(r, zsets.zaddIncr(a.key(1), args, scores[0], a.bytes(first + 1)));
            return;
        }
        ScoredMember[] members = new ScoredMember[pairs];
        for (int i = 0; i < pairs; i++) {
            members[i] = new ScoredMember(a.bytes(first + 2 * i + 1), scores[i]);
        }
        r.writeInteger(zsets.zadd(a.key(1), args, members));
    }

    /**
     * The ZRANGE family and ZRANGESTORE, as Redis's {@code zrangeGenericCommand}: options first
     * (BYSCORE, BYLEX and REV only where the command's name does not fix them, WITHSCORES only
     * when not storing), then their conflicts, then the range, then the key.
     *
     * @param fixedBy      what the command's name ranges over, or AUTO (ZRANGE, ZRANGESTORE)
     * @param fixedReverse whether the name reverses the order, or null when REV may do it
     */
    private static void zrange(Session s, Arguments a, Reply r, boolean store, By fixedBy, Boolean fixedReverse) {
        int keyIndex = store ? 2 : 1;
        int minIndex = keyIndex + 1;
        int maxIndex = keyIndex + 2;
        By by = fixedBy;
        boolean reverse = fixedReverse != null && fixedReverse;
        boolean withScores = false;
        long offset = 0;
        long limit = -1;
        for (int i = keyIndex + 3; i < a.count(); i++) {
            int left = a.count() - i - 1;
            if (!store && a.is(i, "WITHSCORES")) {
                withScores = true;
            } else if (a.is(i, "LIMIT") && left >= 2) {
                offset = a.integer(i + 1);
                limit = a.integer(i + 2);
                i += 2;
            } else if (fixedReverse == null && !reverse && a.is(i, "REV")) {
                reverse = true;
            } else if (by == By.AUTO && a.is(i, "BYLEX")) {
                by = By.LEX;
            } else if (by == By.AUTO && a.is(i, "BYSCORE")) {
                by = By.SCORE;
            } else {
                throw Arguments.syntax();
            }
        }
        if (by == By.AUTO) {
            by = By.RANK;
        }
        if (limit != -1 && by == By.RANK) {
            throw new CommandException(
                    "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
        }
        if (withScores && by == By.LEX) {
            throw new CommandException("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
        }
        if (reverse && by != By.RANK) {
            // Reversed ranges by score or member are written high end first.
            int swap = minIndex;
            minIndex = maxIndex;
            maxIndex = swap;
        }
        ZRange range = switch (by) {
            case SCORE -> ZRange.byScore(scoreRange(a, minIndex, maxIndex)).limit(offset, limit);
            case LEX -> ZRange.byLex(lexRange(a, minIndex, maxIndex)).limit(offset, limit);
            default -> ZRange.byRank(a.integer(minIndex), a.integer(maxIndex));
        };
        if (reverse) {
            range = range.rev();
        }
        SortedSetCommands zsets = s.views().sortedSets();
        if (store) {
            r.writeInteger(zsets.zrangestore(a.key(1), a.key(2), range));
        } else {
            Replies.scored(r, zsets.zrange(a.key(1), range), withScores);
        }
    }

    /**
     * ZPOPMIN / ZPOPMAX key [count]: more arguments are a syntax error; without a count a flat
     * [member, score] (an empty array for a missing key), with one the pairs ({@link Replies#scored}).
     */
    private static void zpop(Session s, Arguments a, Reply r, boolean min) {
        if (a.count() > 3) {
            throw Arguments.syntax();
        }
        SortedSetCommands zsets = s.views().sortedSets();
        String key = a.key(1);
        if (a.count() == 2) {
            ScoredMember popped = min ? zsets.zpopmin(key) : zsets.zpopmax(key);
            if (popped == null) {
                r.writeArrayLength(0);
            } else {
                r.writeArrayLength(2);
                r.writeBulk(popped.member());
                r.writeDouble(popped.score());
            }
            return;
        }
        long count = a.integer(2, COUNT_NOT_POSITIVE);
        if (count < 0) {
            throw new CommandException(COUNT_NOT_POSITIVE);
        }
        Replies.scored(r, min ? zsets.zpopmin(key, count) : zsets.zpopmax(key, count), true);
    }

    /** BZPOPMIN / BZPOPMAX key [key ...] timeout: [key, member, score], or a null array on timeout. */
    private static void blockingPop(Session s, Arguments a, Reply r, boolean min) {
        long timeoutNanos = a.timeoutNanos(a.count() - 1);
        String[] keys = a.keys(1, a.count() - 1);
        SortedSetCommands zsets = s.views().sortedSets();
        CompletableFuture<KeyScoredMember> popped;
        if (timeoutNanos == 0) {
            popped = min ? zsets.bzpopminAsync(keys) : zsets.bzpopmaxAsync(keys);
        } else {
            Duration timeout = Duration.ofNanos(timeoutNanos);
            popped = min ? zsets.bzpopminAsync(timeout, keys) : zsets.bzpopmaxAsync(timeout, keys);
        }
        PendingReply.answer(s, a, r, popped, (entry, reply) -> {
            if (entry == null) {
                reply.writeNullArray();
                return;
            }
            reply.writeArrayLength(3);
            Replies.key(reply, entry.key());
            reply.writeBulk(entry.member().member());
            reply.writeDouble(entry.member().score());
        });
    }

    /**
     * ZUNION, ZINTER, ZDIFF [numkeys key ... options] and their STORE forms, parsed as Redis's
     * {@code zunionInterDiffGenericCommand}: numkeys, then the inputs' types (sets and sorted
     * sets), then WEIGHTS, AGGREGATE (not for ZDIFF) and WITHSCORES (not when storing).
     */
    private static void setOperation(Session s, Arguments a, Reply r, SetOp op, boolean store) {
        int numKeysIndex = store ? 2 : 1;
        long numKeys = a.integer(numKeysIndex);
        if (numKeys < 1) {
            throw new CommandException("ERR at least 1 input key is needed for '"
                    + a.name().toLowerCase(Locale.ROOT) + "' command");
        }
        if (numKeys > a.count() - (numKeysIndex + 1)) {
            throw Arguments.syntax();
        }
        int firstKey = numKeysIndex + 1;
        String[] keys = a.keys(firstKey, firstKey + (int) numKeys);
        double[] weights = null;
        Aggregate aggregate = Aggregate.SUM;
        boolean withScores = false;
        try {
            int i = firstKey + keys.length;
            while (i < a.count()) {
                int remaining = a.count() - i;
                if (op != SetOp.DIFF && remaining >= keys.length + 1 && a.is(i, "WEIGHTS")) {
                    weights = new double[keys.length];
                    for (int k = 0; k < keys.length; k++) {
                        weights[k] = a.decimal(i + 1 + k, "ERR weight value is not a float");
                    }
                    i += 1 + keys.length;
                } else if (op != SetOp.DIFF && remaining >= 2 && a.is(i, "AGGREGATE")) {
                    aggregate = aggregate(a, i + 1);
                    i += 2;
                } else if (!store && a.is(i, "WITHSCORES")) {
                    withScores = true;
                    i++;
                } else {
                    throw Arguments.syntax();
                }
            }
        } catch (CommandException e) {
            requireSortedSetsOrSets(s, keys);
            throw e;
        }
        SortedSetCommands zsets = s.views().sortedSets();
        List<String> keyList = Arrays.asList(keys);
        if (store) {
            String destination = a.key(1);
            long stored = switch (op) {
                case UNION -> zsets.zunionstore(destination, keyList, weights, aggregate);
                case INTER -> zsets.zinterstore(destination, keyList, weights, aggregate);
                default -> zsets.zdiffstore(destination, keys);
            };
            r.writeInteger(stored);
            return;
        }
        List<ScoredMember> result = switch (op) {
            case UNION -> zsets.zunion(keyList, weights, aggregate);
            case INTER -> zsets.zinter(keyList, weights, aggregate);
            default -> zsets.zdiff(keys);
        };
        Replies.scored(r, result, withScores);
    }

    private static Aggregate aggregate(Arguments a, int index) {
        if (a.is(index, "SUM")) {
            return Aggregate.SUM;
        }
        if (a.is(index, "MIN")) {
            return Aggregate.MIN;
        }
        if (a.is(index, "MAX")) {
            return Aggregate.MAX;
        }
        throw Arguments.syntax();
    }

    /** Redis's WRONGTYPE for the first input that is neither a sorted set nor a set. */
    private static void requireSortedSetsOrSets(Session s, String[] keys) {
        for (String key : keys) {
            KeyType type = s.views().keys().type(key);
            if (type != KeyType.NONE && type != KeyType.ZSET && type != KeyType.SET) {
                throw new CommandException(ErrorReplies.WRONGTYPE);
            }
        }
    }

    /**
     * ZRANDMEMBER key [count [WITHSCORES]]: the count's range is checked before the options, and
     * with WITHSCORES it must stay within half the range (Redis doubles it for the reply).
     */
    private static void zrandmember(Session s, Arguments a, Reply r) {
        SortedSetCommands zsets = s.views().sortedSets();
        if (a.count() == 2) {
            Replies.bulkOrNull(r, zsets.zrandmember(a.key(1)));
            return;
        }
        long count = a.integer(2);
        if (count == Long.MIN_VALUE) {
            throw new CommandException("ERR value is out of range, value must between "
                    + -Long.MAX_VALUE + " and " + Long.MAX_VALUE);
        }
        if (a.count() > 4 || (a.count() == 4 && !a.is(3, "WITHSCORES"))) {
            throw Arguments.syntax();
        }
        boolean withScores = a.count() == 4;
        if (withScores && (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2)) {
            throw new CommandException("ERR value is out of range");
        }
        Replies.scored(r, zsets.zrandmember(a.key(1), count), withScores);
    }

    /**
     * ZSCAN key cursor [MATCH pattern] [COUNT count]: the cursor is checked first, then the key
     * (a missing key answers an empty scan whatever the options), then the options.
     */
    private static void zscan(Session s, Arguments a, Reply r) {
        long cursor = KeyFamily.parseCursor(a.bytes(2));
        String key = a.key(1);
        ScanArgs args = ScanArgs.DEFAULT;
        try {
            for (int i = 3; i < a.count(); i++) {
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
        } catch (CommandException e) {
            KeyType type = s.views().keys().type(key);
            if (type == KeyType.NONE) {
                r.writeArrayLength(2);
                r.writeBulk("0");
                r.writeArrayLength(0);
                return;
            }
            if (type != KeyType.ZSET) {
                throw new CommandException(ErrorReplies.WRONGTYPE);
            }
            throw e;
        }
        ScanPage<ScoredMember> page = s.views().sortedSets().zscan(key, cursor, args);
        // Redis sends a small sorted set whole, in its order; a page of a larger one in no
        // defined order. In order either way.
        List<ScoredMember> items = new ArrayList<>(page.items());
        items.sort(BY_SCORE_THEN_MEMBER);
        r.writeArrayLength(2);
        r.writeBulk(Long.toUnsignedString(page.cursor()));
        r.writeArrayLength(items.size() * 2L);
        for (ScoredMember m : items) {
            r.writeBulk(m.member());
            // ZSCAN sends scores as text in either protocol: %.17g, -0 as 0.
            r.writeBulk(CDoubleFormat.percent17g(m.score() + 0.0));
        }
    }
}
