package dev.cairn.server.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.dictionary.CommandViews;
import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.WrongTypeException;
import dev.cairn.dictionary.command.CommandFlag;
import dev.cairn.dictionary.command.CommandSpec;
import dev.cairn.dictionary.command.CommandTable;
import dev.cairn.dictionary.command.Session;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The list and sorted-set commands, against redis-server, reply bytes compared. */
class ListAndSortedSetCommandsWireTest extends AgainstRedis {
    private static final List<String> LIST_COMMANDS = List.of("lpush", "rpush", "lpushx", "rpushx", "lpop", "rpop",
            "llen", "lrange", "lindex", "lset", "linsert", "lrem", "ltrim", "lpos", "lmove", "rpoplpush", "blpop",
            "brpop", "blmove", "brpoplpush");
    private static final List<String> SORTED_SET_COMMANDS = List.of("zadd", "zincrby", "zrem", "zscore", "zmscore",
            "zcard", "zcount", "zlexcount", "zrange", "zrangebyscore", "zrevrangebyscore", "zrangebylex",
            "zrevrangebylex", "zrevrange", "zrangestore", "zrank", "zrevrank", "zremrangebyrank", "zremrangebyscore",
            "zremrangebylex", "zpopmin", "zpopmax", "bzpopmin", "bzpopmax", "zunionstore", "zinterstore", "zunion",
            "zinter", "zdiff", "zdiffstore", "zrandmember", "zscan");

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void listCasesMatchRedis(int protocol) throws IOException {
        try (WireDifferential d = new WireDifferential(redis, 0, protocol)) {
            d.check("SET", "s", "x");
            d.check("LPUSH", "l", "a", "b", "c");
            d.check("RPUSH", "l", "d", "e");
            d.check("LPUSH", "s", "a");
            d.check("LPUSH", "l");
            d.check("LPUSHX", "nolist", "a");
            d.check("RPUSHX", "nolist", "a");
            d.check("LPUSHX", "l", "z");
            d.check("RPUSHX", "l", "y", "x");
            d.check("RPUSHX", "s", "y");
            d.check("LLEN", "l");
            d.check("LLEN", "nolist");
            d.check("LLEN", "s");
            d.check("LRANGE", "l", "0", "-1");
            d.check("LRANGE", "l", "-3", "100");
            d.check("LRANGE", "l", "5", "2");
            d.check("LRANGE", "l", "x", "2");
            d.check("LRANGE", "nolist", "0", "-1");
            d.check("LRANGE", "s", "0", "-1");
            d.check("LRANGE", "s", "x", "-1");
            d.check("LINDEX", "l", "0");
            d.check("LINDEX", "l", "-1");
            d.check("LINDEX", "l", "100");
            d.check("LINDEX", "l", "x");
            d.check("LINDEX", "nolist", "0");
            d.check("LINDEX", "s", "0");
            d.check("LSET", "l", "1", "B");
            d.check("LSET", "l", "100", "B");
            d.check("LSET", "l", "x", "B");
            d.check("LSET", "nolist", "0", "B");
            d.check("LSET", "nolist", "x", "B");
            d.check("LSET", "s", "x", "B");
            d.check("LSET", "s", "0", "B");
            d.check("LINSERT", "l", "BEFORE", "a", "new");
            d.check("LINSERT", "l", "after", "a", "new2");
            d.check("LINSERT", "l", "AFTER", "nothere", "new3");
            d.check("LINSERT", "l", "MIDDLE", "a", "new");
            d.check("LINSERT", "nolist", "BEFORE", "a", "new");
            d.check("LINSERT", "nolist", "MIDDLE", "a", "new");
            d.check("LINSERT", "s", "BEFORE", "a", "new");
            d.check("RPUSH", "r", "a", "b", "a", "c", "a", "b", "a");
            d.check("LREM", "r", "2", "a");
            d.check("LREM", "r", "-1", "a");
            d.check("LREM", "r", "0", "b");
            d.check("LREM", "r", "x", "b");
            d.check("LREM", "nolist", "0", "b");
            d.check("LREM", "s", "0", "b");
            d.check("LRANGE", "r", "0", "-1");
            d.check("LTRIM", "l", "1", "-2");
            d.check("LRANGE", "l", "0", "-1");
            d.check("LTRIM", "l", "x", "1");
            d.check("LTRIM", "nolist", "0", "1");
            d.check("LTRIM", "s", "0", "1");
            d.check("LTRIM", "r", "5", "1");
            d.check("EXISTS", "r");
            d.check("RPUSH", "p", "a", "b", "c", "a", "b", "c", "a");
            d.check("LPOS", "p", "a");
            d.check("LPOS", "p", "a", "RANK", "2");
            d.check("LPOS", "p", "a", "rank", "-1");
            d.check("LPOS", "p", "a", "RANK", "-2", "COUNT", "0");
            d.check("LPOS", "p", "a", "COUNT", "2");
            d.check("LPOS", "p", "a", "COUNT", "0", "MAXLEN", "4");
            d.check("LPOS", "p", "a", "MAXLEN", "1", "RANK", "2");
            d.check("LPOS", "p", "zz");
            d.check("LPOS", "p", "zz", "COUNT", "3");
            d.check("LPOS", "p", "a", "RANK", "0");
            d.check("LPOS", "p", "a", "RANK", "x");
            d.check("LPOS", "p", "a", "RANK", "-9223372036854775808");
            d.check("LPOS", "p", "a", "COUNT", "-1");
            d.check("LPOS", "p", "a", "COUNT", "x");
            d.check("LPOS", "p", "a", "MAXLEN", "-1");
            d.check("LPOS", "p", "a", "MAXLEN", "x");
            d.check("LPOS", "p", "a", "COUNT");
            d.check("LPOS", "p", "a", "FOO", "1");
            d.check("LPOS", "nolist", "a");
            d.check("LPOS", "nolist", "a", "COUNT", "1");
            d.check("LPOS", "nolist", "a", "RANK", "0");
            d.check("LPOS", "s", "a");
            d.check("LPOP", "p");
            d.check("RPOP", "p");
            d.check("LPOP", "p", "2");
            d.check("RPOP", "p", "0");
            d.check("RPOP", "p", "100");
            d.check("LPOP", "p");
            d.check("LPOP", "p", "2");
            d.check("LPOP", "p", "0");
            d.check("LPOP", "p", "-1");
            d.check("LPOP", "p", "x");
            d.check("LPOP", "p", "1", "2");
            d.check("LPOP", "s");
            d.check("LPOP", "s", "0");
            d.check("RPOP", "s", "1");
            d.check("RPUSH", "m", "1", "2", "3");
            d.check("LMOVE", "m", "m2", "LEFT", "RIGHT");
            d.check("LMOVE", "m", "m2", "right", "left");
            d.check("LMOVE", "m", "m", "LEFT", "RIGHT");
            d.check("LMOVE", "m", "m2", "UP", "RIGHT");
            d.check("LMOVE", "m", "m2", "LEFT", "DOWN");
            d.check("LMOVE", "nolist", "m2", "LEFT", "RIGHT");
            d.check("LMOVE", "nolist", "s", "LEFT", "RIGHT");
            d.check("LMOVE", "m", "s", "LEFT", "RIGHT");
            d.check("LMOVE", "s", "m", "LEFT", "RIGHT");
            d.check("RPOPLPUSH", "m", "m2");
            d.check("RPOPLPUSH", "m", "m2");
            d.check("RPOPLPUSH", "m", "m2");
            d.check("RPOPLPUSH", "m2", "s");
            d.check("LRANGE", "m2", "0", "-1");
            d.check("EXISTS", "m");
            d.check(new byte[][] {"RPUSH".getBytes(), {(byte) 0xff, 0}, {0, '\r', '\n'}, {}});
            d.check(new byte[][] {"LRANGE".getBytes(), {(byte) 0xff, 0}, "0".getBytes(), "-1".getBytes()});
            d.check("LPUSH", "nolist");
            d.check("LLEN", "a", "b");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void blockingListCommandsAnswerAtOnceOrTimeOutLikeRedis(int protocol) throws IOException {
        try (WireDifferential d = new WireDifferential(redis, 0, protocol)) {
            d.check("SET", "s", "x");
            d.check("RPUSH", "l", "a", "b", "c");
            d.check("BLPOP", "empty", "l", "0");
            d.check("BRPOP", "l", "empty", "0");
            d.check("BLPOP", "empty", "0.01");
            d.check("BRPOP", "empty", "other", "0.01");
            d.check("BLPOP", "s", "l", "0");
            d.check("BLPOP", "empty", "s", "0");
            d.check("BLPOP", "l", "x");
            d.check("BLPOP", "l", "-1");
            d.check("BRPOPLPUSH", "l", "dst", "0");
            d.check("BRPOPLPUSH", "empty", "dst", "0.01");
            d.check("BRPOPLPUSH", "l", "dst", "abc");
            d.check("BRPOPLPUSH", "s", "dst", "0");
            d.check("RPUSH", "l", "d", "e");
            d.check("BLMOVE", "l", "dst", "LEFT", "RIGHT", "0");
            d.check("BLMOVE", "l", "dst", "RIGHT", "LEFT", "1");
            d.check("BLMOVE", "empty", "dst", "RIGHT", "LEFT", "0.01");
            d.check("BLMOVE", "l", "dst", "UP", "LEFT", "0");
            d.check("BLMOVE", "l", "dst", "LEFT", "LEFT", "-2");
            d.check("RPUSH", "l", "f");
            d.check("BLMOVE", "l", "s", "LEFT", "LEFT", "0");
            d.check("LRANGE", "dst", "0", "-1");
            d.check("BLPOP", "l", "dst", "0");
            d.check("BLPOP", "l");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void sortedSetCasesMatchRedis(int protocol) throws IOException {
        try (WireDifferential d = new WireDifferential(redis, 0, protocol)) {
            d.check("SET", "s", "x");
            sadd(d, "set", "a", "q");
            d.check("ZADD", "z", "1", "a", "2", "b", "3", "c");
            d.check("ZADD", "z", "1.5", "a", "4", "d");
            d.check("ZADD", "z", "CH", "1.5", "a", "5", "b");
            d.check("ZADD", "z", "nx", "9", "a", "6", "e");
            d.check("ZADD", "z", "XX", "CH", "0.5", "a", "7", "f");
            d.check("ZADD", "z", "GT", "CH", "0.1", "a", "6", "b");
            d.check("ZADD", "z", "LT", "ch", "0.1", "a", "9", "b");
            d.check("ZADD", "z", "XX", "GT", "CH", "10", "a");
            d.check("ZADD", "z", "INCR", "2", "c");
            d.check("ZADD", "z", "NX", "INCR", "2", "c");
            d.check("ZADD", "z", "XX", "INCR", "2", "new");
            d.check("ZADD", "z", "GT", "INCR", "-1", "c");
            d.check("ZADD", "z", "LT", "INCR", "-1", "c");
            d.check("ZADD", "z", "NX", "XX", "1", "a");
            d.check("ZADD", "z", "NX", "GT", "1", "a");
            d.check("ZADD", "z", "GT", "LT", "1", "a");
            d.check("ZADD", "z", "NX", "LT", "1", "a", "2");
            d.check("ZADD", "z", "INCR", "1", "a", "2", "b");
            d.check("ZADD", "z", "1", "a", "x", "b");
            d.check("ZADD", "z", "nan", "a");
            d.check("ZADD", "z", "1e400", "a");
            d.check("ZADD", "z", "CH");
            d.check("ZADD", "z", "1");
            d.check("ZADD", "s", "1", "a");
            d.check("ZADD", "s", "x", "a");
            d.check("ZADD", "inf", "inf", "a", "-inf", "b", "+inf", "c");
            d.check("ZINCRBY", "inf", "-inf", "a");
            d.check("ZADD", "inf", "INCR", "-inf", "a");
            d.check("ZINCRBY", "inf", "1", "b");
            d.check("ZINCRBY", "z", "0.1", "a");
            d.check("ZINCRBY", "z", "x", "a");
            d.check("ZINCRBY", "z", "1", "newmember");
            d.check("ZINCRBY", "s", "1", "a");
            d.check("ZINCRBY", "nozset", "2.5", "a");
            d.check("ZSCORE", "z", "a");
            d.check("ZSCORE", "z", "nope");
            d.check("ZSCORE", "nozset", "a");
            d.check("ZSCORE", "s", "a");
            d.check("ZSCORE", "inf", "c");
            d.check("ZMSCORE", "z", "a", "nope", "b");
            d.check("ZMSCORE", "nozset", "a", "b");
            d.check("ZMSCORE", "s", "a");
            d.check("ZCARD", "z");
            d.check("ZCARD", "nozset");
            d.check("ZCARD", "s");
            d.check("ZCOUNT", "z", "-inf", "+inf");
            d.check("ZCOUNT", "z", "(1", "5");
            d.check("ZCOUNT", "z", "2", "(6");
            d.check("ZCOUNT", "z", "5", "1");
            d.check("ZCOUNT", "z", "a", "1");
            d.check("ZCOUNT", "z", "1", "(x");
            d.check("ZCOUNT", "nozset", "1", "2");
            d.check("ZCOUNT", "s", "1", "2");
            d.check("ZCOUNT", "s", "x", "2");
            d.check("ZRANGE", "z", "0", "-1");
            d.check("ZRANGE", "z", "0", "-1", "WITHSCORES");
            d.check("ZRANGE", "z", "1", "2", "REV", "withscores");
            d.check("ZRANGE", "z", "(1", "6", "BYSCORE", "WITHSCORES");
            d.check("ZRANGE", "z", "6", "(1", "BYSCORE", "REV");
            d.check("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "1", "2", "WITHSCORES");
            d.check("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "-1", "2");
            d.check("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "1", "-1");
            d.check("ZRANGE", "z", "0", "-1", "LIMIT", "1", "2");
            d.check("ZRANGE", "z", "0", "-1", "LIMIT", "0", "-1");
            d.check("ZRANGE", "z", "0", "-1", "LIMIT", "1");
            d.check("ZRANGE", "z", "0", "-1", "LIMIT", "x", "1");
            d.check("ZRANGE", "z", "0", "-1", "BYSCORE", "BYLEX");
            d.check("ZRANGE", "z", "0", "-1", "REV", "REV");
            d.check("ZRANGE", "z", "0", "-1", "FOO");
            d.check("ZRANGE", "z", "-", "+", "BYLEX", "WITHSCORES");
            d.check("ZRANGE", "z", "x", "1");
            d.check("ZRANGE", "z", "x", "1", "BYSCORE");
            d.check("ZRANGE", "z", "x", "1", "BYLEX");
            d.check("ZRANGE", "nozset", "0", "-1", "WITHSCORES");
            d.check("ZRANGE", "s", "0", "-1");
            d.check("ZRANGE", "s", "x", "-1");
            d.check("ZADD", "lex", "0", "a", "0", "b", "0", "c", "0", "d", "0", "e");
            d.check("ZRANGE", "lex", "[b", "(d", "BYLEX");
            d.check("ZRANGE", "lex", "(d", "[b", "BYLEX", "REV");
            d.check("ZRANGE", "lex", "-", "+", "BYLEX", "LIMIT", "1", "3");
            d.check("ZRANGE", "lex", "+", "-", "BYLEX", "REV", "LIMIT", "0", "2");
            d.check("ZRANGE", "lex", "b", "d", "BYLEX");
            d.check("ZRANGEBYLEX", "lex", "-", "[c");
            d.check("ZRANGEBYLEX", "lex", "-", "[c", "LIMIT", "1", "1");
            d.check("ZRANGEBYLEX", "lex", "-", "+", "WITHSCORES");
            d.check("ZRANGEBYLEX", "lex", "-", "+", "BYLEX");
            d.check("ZRANGEBYLEX", "lex", "-", "+", "REV");
            d.check("ZREVRANGEBYLEX", "lex", "[c", "-");
            d.check("ZREVRANGEBYLEX", "lex", "+", "-", "LIMIT", "1", "2");
            d.check("ZREVRANGEBYLEX", "lex", "+", "x");
            d.check("ZLEXCOUNT", "lex", "[b", "+");
            d.check("ZLEXCOUNT", "lex", "-", "(b");
            d.check("ZLEXCOUNT", "lex", "b", "+");
            d.check("ZLEXCOUNT", "nozset", "-", "+");
            d.check("ZLEXCOUNT", "s", "-", "+");
            d.check("ZRANGEBYSCORE", "z", "1", "5");
            d.check("ZRANGEBYSCORE", "z", "-inf", "+inf", "WITHSCORES", "LIMIT", "1", "10");
            d.check("ZRANGEBYSCORE", "z", "-inf", "+inf", "BYSCORE");
            d.check("ZRANGEBYSCORE", "z", "-inf", "+inf", "REV");
            d.check("ZRANGEBYSCORE", "z", "x", "+inf");
            d.check("ZREVRANGEBYSCORE", "z", "5", "1");
            d.check("ZREVRANGEBYSCORE", "z", "+inf", "(1", "WITHSCORES", "LIMIT", "0", "2");
            d.check("ZREVRANGEBYSCORE", "z", "1", "5");
            d.check("ZREVRANGE", "z", "0", "2");
            d.check("ZREVRANGE", "z", "0", "-1", "WITHSCORES");
            d.check("ZREVRANGE", "z", "0", "-1", "BYSCORE");
            d.check("ZREVRANGE", "z", "0", "-1", "LIMIT", "0", "1");
            d.check("ZRANGESTORE", "dst", "z", "0", "2");
            d.check("ZRANGE", "dst", "0", "-1", "WITHSCORES");
            d.check("ZRANGESTORE", "dst", "z", "5", "1", "BYSCORE", "REV", "LIMIT", "0", "2");
            d.check("ZRANGESTORE", "dst", "z", "0", "-1", "WITHSCORES");
            d.check("ZRANGESTORE", "s2", "lex", "[a", "[b", "BYLEX");
            d.check("ZRANGESTORE", "dst", "nozset", "0", "-1");
            d.check("EXISTS", "dst");
            d.check("SET", "str", "x");
            d.check("ZRANGESTORE", "str", "z", "0", "0");
            d.check("TYPE", "str");
            d.check("ZRANGESTORE", "dst", "s", "0", "0");
            d.check("ZRANK", "z", "a");
            d.check("ZRANK", "z", "nope");
            d.check("ZREVRANK", "z", "a");
            d.check("ZRANK", "nozset", "a");
            d.check("ZREVRANK", "s", "a");
            d.check("ZREM", "z", "a", "nope", "a");
            d.check("ZREM", "nozset", "a");
            d.check("ZREM", "s", "a");
            d.check("ZREMRANGEBYRANK", "z", "0", "0");
            d.check("ZREMRANGEBYRANK", "z", "x", "0");
            d.check("ZREMRANGEBYRANK", "nozset", "0", "0");
            d.check("ZREMRANGEBYRANK", "s", "0", "0");
            d.check("ZREMRANGEBYSCORE", "z", "(5", "6");
            d.check("ZREMRANGEBYSCORE", "z", "x", "6");
            d.check("ZREMRANGEBYSCORE", "s", "0", "6");
            d.check("ZREMRANGEBYLEX", "lex", "[b", "[c");
            d.check("ZREMRANGEBYLEX", "lex", "b", "[c");
            d.check("ZREMRANGEBYLEX", "s", "-", "+");
            d.check("ZRANGE", "lex", "0", "-1");
            d.check("ZRANGE", "z", "0", "-1", "WITHSCORES");
            d.check("ZADD", "p", "1", "a", "2", "b", "3", "c", "4", "d");
            d.check("ZPOPMIN", "p");
            d.check("ZPOPMAX", "p");
            d.check("ZPOPMIN", "p", "1");
            d.check("ZPOPMAX", "p", "5");
            d.check("ZPOPMIN", "p");
            d.check("ZPOPMIN", "p", "2");
            d.check("ZPOPMIN", "z", "0");
            d.check("ZPOPMIN", "z", "-1");
            d.check("ZPOPMIN", "z", "x");
            d.check("ZPOPMIN", "z", "1", "2");
            d.check("ZPOPMAX", "s");
            d.check("ZPOPMAX", "s", "0");
            d.check("ZPOPMAX", "s", "2");
            d.check("ZADD", "u1", "1", "a", "2", "b", "3", "c");
            d.check("ZADD", "u2", "10", "b", "20", "c", "30", "d");
            d.check("ZUNIONSTORE", "out", "2", "u1", "u2");
            d.check("ZRANGE", "out", "0", "-1", "WITHSCORES");
            d.check("ZUNIONSTORE", "out", "3", "u1", "u2", "set", "WEIGHTS", "2", "0.5", "3", "AGGREGATE", "MAX");
            d.check("ZRANGE", "out", "0", "-1", "WITHSCORES");
            d.check("ZINTERSTORE", "out", "2", "u1", "u2", "aggregate", "min");
            d.check("ZRANGE", "out", "0", "-1", "WITHSCORES");
            d.check("ZINTERSTORE", "out", "2", "u1", "nozset");
            d.check("EXISTS", "out");
            d.check("ZUNIONSTORE", "out", "0", "u1");
            d.check("ZINTERSTORE", "out", "-1", "u1");
            d.check("ZUNIONSTORE", "out", "x", "u1");
            d.check("ZUNIONSTORE", "out", "3", "u1", "u2");
            d.check("ZUNIONSTORE", "out", "2", "u1", "u2", "WEIGHTS", "1");
            d.check("ZUNIONSTORE", "out", "2", "u1", "u2", "WEIGHTS", "1", "x");
            d.check("ZUNIONSTORE", "out", "2", "u1", "s", "WEIGHTS", "1", "x");
            d.check("ZUNIONSTORE", "out", "2", "u1", "u2", "AGGREGATE", "AVG");
            d.check("ZUNIONSTORE", "out", "2", "u1", "u2", "AGGREGATE");
            d.check("ZUNIONSTORE", "out", "2", "u1", "u2", "WITHSCORES");
            d.check("ZUNIONSTORE", "out", "2", "u1", "s");
            d.check("ZUNIONSTORE", "s", "1", "u1");
            d.check("TYPE", "s");
            d.check("SET", "s", "x");
            d.check("ZUNION", "2", "u1", "u2");
            d.check("ZUNION", "2", "u1", "u2", "WITHSCORES", "WEIGHTS", "1", "-1");
            d.check("ZUNION", "1", "set", "withscores");
            d.check("ZINTER", "2", "u1", "u2", "WITHSCORES");
            d.check("ZINTER", "2", "u1", "u2", "AGGREGATE", "MAX", "WITHSCORES");
            d.check("ZINTER", "0", "u1");
            d.check("ZINTER", "2", "u1", "s");
            d.check("ZDIFF", "2", "u1", "u2");
            d.check("ZDIFF", "2", "u1", "u2", "WITHSCORES");
            d.check("ZDIFF", "2", "u1", "u2", "WEIGHTS", "1", "1");
            d.check("ZDIFF", "1", "nozset");
            d.check("ZDIFF", "0", "u1");
            d.check("ZDIFF", "3", "u1");
            d.check("ZDIFFSTORE", "out", "2", "u1", "u2");
            d.check("ZRANGE", "out", "0", "-1", "WITHSCORES");
            d.check("ZDIFFSTORE", "out", "2", "u1", "u2", "WITHSCORES");
            d.check("ZDIFFSTORE", "out", "2", "u1", "u1");
            d.check("EXISTS", "out");
            d.check("ZDIFFSTORE", "out", "1", "s");
            d.check("ZADD", "w", "inf", "a", "-inf", "b", "1", "c");
            d.check("ZUNIONSTORE", "out", "2", "w", "w", "WEIGHTS", "0", "1");
            d.check("ZRANGE", "out", "0", "-1", "WITHSCORES");
            d.check("ZUNIONSTORE", "out", "2", "w", "w", "WEIGHTS", "1", "-1");
            d.check("ZRANGE", "out", "0", "-1", "WITHSCORES");
            d.check("ZADD", "one", "2.5", "only");
            d.check("ZRANDMEMBER", "one");
            d.check("ZRANDMEMBER", "one", "1");
            d.check("ZRANDMEMBER", "one", "-3");
            d.check("ZRANDMEMBER", "one", "-2", "WITHSCORES");
            d.check("ZRANDMEMBER", "one", "5", "WITHSCORES");
            d.check("ZRANDMEMBER", "one", "0");
            d.check("ZRANDMEMBER", "nozset");
            d.check("ZRANDMEMBER", "nozset", "5");
            d.check("ZRANDMEMBER", "nozset", "5", "WITHSCORES");
            d.check("ZRANDMEMBER", "s");
            d.check("ZRANDMEMBER", "s", "1");
            d.check("ZRANDMEMBER", "one", "x");
            d.check("ZRANDMEMBER", "one", "1", "FOO");
            d.check("ZRANDMEMBER", "one", "1", "WITHSCORES", "x");
            d.check("ZRANDMEMBER", "one", "-9223372036854775808");
            d.check("ZRANDMEMBER", "one", "9223372036854775807", "WITHSCORES");
            d.check("ZRANDMEMBER", "nozset", "9223372036854775807", "WITHSCORES");
            d.checkUnordered("ZRANDMEMBER", "u1", "10");
            d.checkUnordered("ZRANDMEMBER", "u1", "3", "WITHSCORES");
            d.check("ZSCAN", "one", "0");
            d.check("ZSCAN", "one", "0", "MATCH", "o*", "COUNT", "100");
            d.check("ZSCAN", "one", "0", "MATCH", "x*");
            d.check("ZSCAN", "one", "x");
            d.check("ZSCAN", "one", "0", "COUNT", "0");
            d.check("ZSCAN", "one", "0", "COUNT", "x");
            d.check("ZSCAN", "one", "0", "TYPE", "zset");
            d.check("ZSCAN", "one", "0", "FOO");
            d.check("ZSCAN", "nozset", "0", "FOO");
            d.check("ZSCAN", "nozset", "x");
            d.check("ZSCAN", "s", "0");
            d.check("ZSCAN", "s", "0", "FOO");
            d.check("ZSCAN", "w", "0");
            d.check("ZADD", "fmt", "0.1", "a", "1e20", "b", "-3.25", "c", "123456789012", "d", "1e-5", "e");
            d.check("ZSCAN", "fmt", "0");
            d.check("ZRANGE", "fmt", "0", "-1", "WITHSCORES");
            d.check(new byte[][] {"ZADD".getBytes(), {(byte) 0xff, 0}, "1".getBytes(), {0, '\r', '\n'}});
            d.check(new byte[][] {"ZRANGE".getBytes(), {(byte) 0xff, 0}, "0".getBytes(), "-1".getBytes()});
            d.check("ZADD", "z", "1", "a", "2");
            d.check("ZRANGESTORE", "a", "b", "0");
            d.check("ZRANK", "z");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void blockingSortedSetCommandsAnswerAtOnceOrTimeOutLikeRedis(int protocol) throws IOException {
        try (WireDifferential d = new WireDifferential(redis, 0, protocol)) {
            d.check("SET", "s", "x");
            d.check("ZADD", "z", "1", "a", "2.5", "b", "3", "c");
            d.check("BZPOPMIN", "empty", "z", "0");
            d.check("BZPOPMAX", "z", "empty", "0");
            d.check("BZPOPMIN", "empty", "0.01");
            d.check("BZPOPMAX", "empty", "other", "0.01");
            d.check("BZPOPMIN", "s", "z", "0");
            d.check("BZPOPMIN", "z", "x");
            d.check("BZPOPMIN", "z", "-1");
            d.check("BZPOPMIN", "z", "1");
            d.check("BZPOPMIN", "z", "0.01");
            d.check("EXISTS", "z");
        }
    }

    /** Inside MULTI nothing waits: BLMOVE and BRPOPLPUSH answer a null bulk, the pops a null array. */
    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void blockingCommandsInsideABlockAnswerAtOnceAsRedisDoesInsideMulti(int protocol) throws IOException {
        String[][] commands = {{"BLPOP", "empty", "0"}, {"BRPOP", "empty", "other", "0"},
            {"BLMOVE", "empty", "dst", "LEFT", "RIGHT", "0"}, {"BRPOPLPUSH", "empty", "dst", "0"},
            {"BZPOPMIN", "empty", "0"}, {"BZPOPMAX", "empty", "0"}, {"BLMOVE", "empty", "dst", "LEFT", "RIGHT", "1"}};
        try (WireDifferential d = new WireDifferential(redis, 0, protocol)) {
            d.redisReply(WireDifferential.bytes("MULTI"));
            for (String[] command : commands) {
                d.redisReply(WireDifferential.bytes(command));
            }
            byte[] redisExec = d.redisReply(WireDifferential.bytes("EXEC"));
            RespWriter writer = new RespWriter(protocol);
            writer.writeArrayLength(commands.length);
            Dictionary dictionary = d.dictionary();
            dictionary.exclusive(block -> {
                Session inBlock = new Session() {
                    @Override
                    public CommandViews views() {
                        return block;
                    }

                    @Override
                    public Dictionary dictionary() {
                        return dictionary;
                    }

                    @Override
                    public <T> T atomically(Function<CommandViews, T> body) {
                        return body.apply(block);
                    }
                };
                for (String[] command : commands) {
                    CommandDispatcher.run(CommandTable.dictionary().find(command[0]), inBlock,
                            WireDifferential.bytes(command), writer);
                }
                return null;
            });
            assertThat(WireDifferential.printable(writer.toByteArray()))
                    .isEqualTo(WireDifferential.printable(redisExec));
        }
    }

    /** Seeded random mixes of list, sorted-set and string commands on a few shared keys. */
    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void randomListSequencesMatchRedis(int protocol) throws IOException {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String[] elements = {"a", "b", "c", "", "1", "-1", "0"};
        String[] indexes = {"0", "1", "-1", "2", "-3", "5", "100", "-100", "x"};
        try (WireDifferential d = new WireDifferential(redis, seed, protocol)) {
            for (int i = 0; i < 1500; i++) {
                String key = "k" + random.nextInt(5);
                String other = "k" + random.nextInt(5);
                String e = elements[random.nextInt(elements.length)];
                String index = indexes[random.nextInt(indexes.length)];
                String index2 = indexes[random.nextInt(indexes.length)];
                String side = random.nextBoolean() ? "LEFT" : "right";
                switch (random.nextInt(22)) {
                    case 0, 1 -> d.check("LPUSH", key, e, elements[random.nextInt(elements.length)]);
                    case 2, 3 -> d.check("RPUSH", key, e);
                    case 4 -> d.check(random.nextBoolean() ? "LPUSHX" : "RPUSHX", key, e);
                    case 5 -> d.check(random.nextBoolean() ? "LPOP" : "RPOP", key);
                    case 6 -> d.check(random.nextBoolean() ? "LPOP" : "RPOP", key, index);
                    case 7 -> d.check("LLEN", key);
                    case 8, 9 -> d.check("LRANGE", key, index, index2);
                    case 10 -> d.check("LINDEX", key, index);
                    case 11 -> d.check("LSET", key, index, e);
                    case 12 -> d.check("LINSERT", key, random.nextBoolean() ? "BEFORE" : "AFTER", e, "new");
                    case 13 -> d.check("LREM", key, index, e);
                    case 14 -> d.check("LTRIM", key, index, index2);
                    case 15 -> d.check("LPOS", key, e, "RANK", index, "COUNT", index2);
                    case 16 -> d.check("LPOS", key, e, "MAXLEN", index2);
                    case 17 -> d.check("LMOVE", key, other, side, random.nextBoolean() ? "LEFT" : "RIGHT");
                    case 18 -> d.check("RPOPLPUSH", key, other);
                    case 19 -> d.check("BLPOP", key, other, "0.001");
                    case 20 -> d.check(random.nextBoolean() ? "SET" : "ZADD", key, "1", e);
                    default -> d.check("DEL", key);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void randomSortedSetSequencesMatchRedis(int protocol) throws IOException {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String[] members = {"a", "b", "c", "d", "", "é"};
        String[] scores = {"0", "1", "-1", "2.5", "1e3", "inf", "-inf", "0.1", "x", "3"};
        String[] ranges = {"-inf", "+inf", "(1", "1", "2.5", "(0", "-1", "x", "(inf"};
        String[] lex = {"-", "+", "[a", "(b", "[c", "(", "[", "x"};
        String[] ranks = {"0", "1", "-1", "2", "-2", "10", "x"};
        String[] zaddOptions = {"NX", "XX", "GT", "LT", "CH", "INCR"};
        try (WireDifferential d = new WireDifferential(redis, seed, protocol)) {
            for (int i = 0; i < 2000; i++) {
                String key = "z" + random.nextInt(5);
                String other = "z" + random.nextInt(5);
                // Lexicographic ranges are defined only over members of one score (Redis's
                // answer for mixed scores is unspecified): they get keys of their own.
                String lexKey = "x" + random.nextInt(3);
                String m = members[random.nextInt(members.length)];
                String score = scores[random.nextInt(scores.length)];
                String min = ranges[random.nextInt(ranges.length)];
                String max = ranges[random.nextInt(ranges.length)];
                String lexMin = lex[random.nextInt(lex.length)];
                String lexMax = lex[random.nextInt(lex.length)];
                String rank = ranks[random.nextInt(ranks.length)];
                String rank2 = ranks[random.nextInt(ranks.length)];
                switch (random.nextInt(30)) {
                    case 0 -> d.check("ZADD", lexKey, "0", m, "0", members[random.nextInt(members.length)]);
                    case 1, 2 -> d.check("ZADD", key, score, m, scores[random.nextInt(scores.length)],
                            members[random.nextInt(members.length)]);
                    case 3, 4 -> {
                        List<String> command = new ArrayList<>(List.of("ZADD", key));
                        for (String option : zaddOptions) {
                            if (random.nextInt(4) == 0) {
                                command.add(option);
                            }
                        }
                        command.add(score);
                        command.add(m);
                        d.check(command.toArray(new String[0]));
                    }
                    case 5 -> d.check("ZINCRBY", key, score, m);
                    case 6 -> d.check("ZREM", key, m, members[random.nextInt(members.length)]);
                    case 7 -> d.check("ZSCORE", key, m);
                    case 8 -> d.check("ZMSCORE", key, m, "b");
                    case 9 -> d.check("ZCARD", key);
                    case 10 -> d.check("ZCOUNT", key, min, max);
                    case 11 -> d.check("ZLEXCOUNT", lexKey, lexMin, lexMax);
                    case 12 -> d.check("ZRANGE", key, rank, rank2, "WITHSCORES");
                    case 13 -> d.check("ZRANGE", key, min, max, "BYSCORE", "REV", "LIMIT", rank, rank2, "WITHSCORES");
                    case 14 -> d.check(random.nextBoolean() ? "ZRANGEBYLEX" : "ZREVRANGEBYLEX", lexKey, lexMin, lexMax);
                    case 15 -> d.check("ZREVRANGEBYSCORE", key, max, min, "WITHSCORES");
                    case 16 -> d.check("ZREVRANGE", key, rank, rank2);
                    case 17 -> d.check("ZRANGESTORE", other, key, min, max, "BYSCORE");
                    case 18 -> d.check(random.nextBoolean() ? "ZRANK" : "ZREVRANK", key, m);
                    case 19 -> d.check("ZREMRANGEBYRANK", key, rank, rank2);
                    case 20 -> d.check("ZREMRANGEBYSCORE", key, min, max);
                    case 21 -> d.check("ZREMRANGEBYLEX", lexKey, lexMin, lexMax);
                    case 22 -> d.check(random.nextBoolean() ? "ZPOPMIN" : "ZPOPMAX", key, rank);
                    case 23 -> d.check(random.nextBoolean() ? "ZUNIONSTORE" : "ZINTERSTORE", other, "2", key, "z0",
                            "WEIGHTS", score, "2", "AGGREGATE", random.nextBoolean() ? "MIN" : "SUM");
                    case 24 -> d.check(random.nextBoolean() ? "ZUNION" : "ZINTER", "2", key, other, "WITHSCORES");
                    case 25 -> d.check("ZDIFFSTORE", other, "2", key, "z1");
                    case 26 -> d.check("ZSCAN", key, "0");
                    case 27 -> {
                        if (random.nextBoolean()) {
                            sadd(d, key, m);
                        } else {
                            d.check("SET", random.nextInt(4) == 0 ? lexKey : key, m);
                        }
                    }
                    case 28 -> d.check("BZPOPMIN", key, other, "0.001");
                    default -> d.check("DEL", key);
                }
            }
        }
    }

    /**
     * SADD on both sides, for sets as inputs of the sorted-set commands (the set commands are
     * compared elsewhere): Redis's answer and the dictionary's must agree.
     */
    private static void sadd(WireDifferential d, String key, String... members) {
        List<String> command = new ArrayList<>(List.of("SADD", key));
        command.addAll(List.of(members));
        String redisReply = WireDifferential.printable(d.redisReply(WireDifferential.bytes(command.toArray(new String[0]))));
        String cairnReply;
        try {
            cairnReply = ":" + d.dictionary().sets().sadd(key, members) + "\\r\\n";
        } catch (WrongTypeException e) {
            cairnReply = "-WRONGTYPE Operation against a key holding the wrong kind of value\\r\\n";
        }
        assertThat(cairnReply).as("SADD " + key).isEqualTo(redisReply);
    }

    /** COMMAND INFO's arity, flags and key positions, for each command of the two families. */
    @Test
    void commandTableDeclaresWhatRedisReports() throws IOException {
        List<String> names = new ArrayList<>(LIST_COMMANDS);
        names.addAll(SORTED_SET_COMMANDS);
        try (WireDifferential d = new WireDifferential(redis, 0, 2)) {
            for (String name : names) {
                List<?> info = (List<?>) ((List<?>) RespReplyReader.parse(
                        d.redisReply(WireDifferential.bytes("COMMAND", "INFO", name)))).get(0);
                CommandSpec spec = CommandTable.dictionary().find(name);
                assertThat(spec).as(name).isNotNull();
                List<String> redisFlags = new ArrayList<>();
                for (Object flag : (List<?>) info.get(2)) {
                    redisFlags.add(flag instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                            : String.valueOf(flag));
                }
                List<String> ourFlags = new ArrayList<>();
                for (CommandFlag flag : spec.flags()) {
                    ourFlags.add(flag.redisName());
                }
                assertThat(ourFlags).as(name + " flags").containsExactlyInAnyOrderElementsOf(redisFlags);
                assertThat(List.of((long) spec.arity(), (long) spec.firstKey(), (long) spec.lastKey(),
                        (long) spec.step())).as(name + " arity and key positions")
                        .isEqualTo(List.of(info.get(1), info.get(3), info.get(4), info.get(5)));
            }
        }
    }
}
