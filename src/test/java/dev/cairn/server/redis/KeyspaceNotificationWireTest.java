package dev.cairn.server.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keyspace notifications compared with redis-server: a subscriber on each server
 * (PSUBSCRIBE {@code __key*__:*}) records what a seeded random sequence of write commands of
 * every type publishes (expiry with short deadlines, pops that empty collections, renames,
 * MULTI/EXEC), and the two streams must be the same bytes, command by command.
 *
 * <p>Each command is followed by a PUBLISH on a marker channel the subscribers also listen to:
 * both servers publish a command's notifications before its reply, so a subscriber has every
 * notification of the command once the marker arrives. A key given a deadline a few milliseconds
 * away is polled with EXISTS until it is gone (on both, each by lazy or active expiry: one
 * {@code expired} either way) before the sequence goes on, so expiry happens at the same point of
 * both streams.
 */
class KeyspaceNotificationWireTest extends AgainstRedis {
    private static final String[] STRINGS = {"s0", "s1", "s2"};
    private static final String[] LISTS = {"l0", "l1", "l2"};
    private static final String[] HASHES = {"h0", "h1"};
    private static final String[] SETS = {"t0", "t1", "t2"};
    private static final String[] ZSETS = {"z0", "z1", "z2"};
    private static final String[] MEMBERS = {"a", "b", "c", "d"};

    private Cairn cairn;
    private RedisServer server;
    private Side redisSide;
    private Side cairnSide;
    private Random random;
    private long seed;
    private int step;

    @BeforeEach
    void start() throws IOException {
        cairn = Cairn.inMemory();
        server = RedisServer.start(cairn, RedisServerOptions.DEFAULT.withPort(0));
        redisSide = new Side(redis.port());
        cairnSide = new Side(server.port());
        redisSide.call("FLUSHALL");
        cairnSide.call("FLUSHALL");
        redisSide.call("CONFIG", "SET", "notify-keyspace-events", "");
    }

    @AfterEach
    void stop() throws IOException {
        if (redisSide != null) {
            redisSide.call("CONFIG", "SET", "notify-keyspace-events", "");
            redisSide.close();
        }
        if (cairnSide != null) {
            cairnSide.close();
        }
        server.close();
        cairn.close();
    }

    /** One server: a connection for commands and a subscriber to the notifications and the marker. */
    private static final class Side implements AutoCloseable {
        final Socket commands;
        final RespReplyReader replies;
        final Socket subscriber;
        final RespReplyReader messages;

        Side(int port) throws IOException {
            commands = new Socket(InetAddress.getLoopbackAddress(), port);
            subscriber = new Socket(InetAddress.getLoopbackAddress(), port);
            // A notification that never comes fails the test after this long instead of hanging it.
            commands.setSoTimeout(30_000);
            subscriber.setSoTimeout(30_000);
            replies = new RespReplyReader(new BufferedInputStream(commands.getInputStream()));
            messages = new RespReplyReader(new BufferedInputStream(subscriber.getInputStream()));
            subscriber.getOutputStream().write(request("PSUBSCRIBE", "__key*__:*"));
            messages.readRaw();
            subscriber.getOutputStream().write(request("SUBSCRIBE", "marker"));
            messages.readRaw();
        }

        String call(String... command) throws IOException {
            commands.getOutputStream().write(request(command));
            return WireDifferential.printable(replies.readRaw());
        }

        /** RESTORE {@code key} from this server's own DUMP of {@code source}. */
        String restoreFromDump(String source, String key, String... options) throws IOException {
            commands.getOutputStream().write(request("DUMP", source));
            byte[] payload = (byte[]) RespReplyReader.parse(replies.readRaw());
            RespWriter writer = new RespWriter(2);
            writer.writeArrayLength(4 + options.length);
            writer.writeBulk("RESTORE".getBytes(StandardCharsets.UTF_8));
            writer.writeBulk(key.getBytes(StandardCharsets.UTF_8));
            writer.writeBulk("0".getBytes(StandardCharsets.UTF_8));
            writer.writeBulk(payload);
            for (String option : options) {
                writer.writeBulk(option.getBytes(StandardCharsets.UTF_8));
            }
            commands.getOutputStream().write(writer.toByteArray());
            return WireDifferential.printable(replies.readRaw());
        }

        /** Publishes the marker and returns every message the subscriber got before it. */
        List<String> notifications(int step) throws IOException {
            call("PUBLISH", "marker", Integer.toString(step));
            String marker = WireDifferential.printable(request("message", "marker", Integer.toString(step)))
                    .substring(WireDifferential.printable(request("message", "marker", "x")).indexOf('$'));
            List<String> received = new ArrayList<>();
            while (true) {
                String message = WireDifferential.printable(messages.readRaw());
                if (message.endsWith(marker)) {
                    return received;
                }
                received.add(message);
            }
        }

        /** Polls EXISTS until {@code key} is gone, i.e. its short deadline passed and it expired. */
        void awaitGone(String key) throws IOException {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!call("EXISTS", key).equals(":0\\r\\n")) {
                assertThat(System.nanoTime()).as("key %s still exists", key).isLessThan(deadline);
                Thread.onSpinWait();
            }
        }

        @Override
        public void close() throws IOException {
            commands.close();
            subscriber.close();
        }
    }

    private static byte[] request(String... command) {
        RespWriter writer = new RespWriter(2);
        writer.writeArrayLength(command.length);
        for (String arg : command) {
            writer.writeBulk(arg.getBytes(StandardCharsets.UTF_8));
        }
        return writer.toByteArray();
    }

    @Test
    void moveRestoreFlushAndOtherDatabasesPublishWhatRedisPublishes() throws IOException {
        seed = 0;
        for (Side side : List.of(redisSide, cairnSide)) {
            assertThat(side.call("CONFIG", "SET", "notify-keyspace-events", "KEAn")).isEqualTo("+OK\\r\\n");
        }
        String[][] script = {
            {"SET", "k", "v", "EX", "1000"}, {"MOVE", "k", "3"}, {"MOVE", "k", "3"}, {"SELECT", "3"},
            {"RPUSH", "l", "a", "b"}, {"MOVE", "l", "0"}, {"SET", "k", "w"}, {"MOVE", "k", "0"},
            {"HSET", "h", "f", "1"}, {"RENAME", "h", "k"}, {"SELECT", "0"}, {"SADD", "s", "x"},
            {"COPY", "s", "l", "REPLACE"}, {"SORT", "l", "ALPHA", "STORE", "l"},
            {"MULTI"}, {"INCR", "n"}, {"LPUSH", "n", "x"}, {"INCRBY", "n", "2"}, {"EXEC"},
            {"FLUSHDB"}, {"SET", "a", "1"}, {"FLUSHALL"}, {"SET", "b", "1"}, {"EXPIRE", "b", "0"},
            {"SET", "c", "1"}, {"GETEX", "c", "EX", "5"}, {"PERSIST", "c"}, {"SET", "d", "x"},
        };
        for (String[] command : script) {
            step++;
            same(command);
            inMulti = command[0].equals("MULTI") || inMulti && !command[0].equals("EXEC");
            if (!inMulti) {
                assertThat(cairnSide.notifications(step)).as("step %d: %s", step, last)
                        .isEqualTo(redisSide.notifications(step));
            }
        }
        for (String[] restore : new String[][] {{"c", "r"}, {"c", "d", "REPLACE"}, {"d", "c", "REPLACE"}}) {
            step++;
            String[] options = java.util.Arrays.copyOfRange(restore, 2, restore.length);
            assertThat(cairnSide.restoreFromDump(restore[0], restore[1], options))
                    .isEqualTo(redisSide.restoreFromDump(restore[0], restore[1], options));
            assertThat(cairnSide.notifications(step)).as("RESTORE %s", List.of(restore))
                    .isEqualTo(redisSide.notifications(step));
        }
    }

    @Test
    void clientsServedAfterBlockingPublishWhatRedisPublishes() throws IOException {
        for (Side side : List.of(redisSide, cairnSide)) {
            assertThat(side.call("CONFIG", "SET", "notify-keyspace-events", "KEAn")).isEqualTo("+OK\\r\\n");
        }
        String[][][] cases = {
            {{"BLMOVE", "src", "dst", "LEFT", "RIGHT", "0"}, {"RPUSH", "src", "x"}},
            {{"BLPOP", "q", "0"}, {"LPUSH", "q", "a", "b"}},
            {{"BZPOPMIN", "z", "0"}, {"ZADD", "z", "1", "m"}},
            {{"BLMPOP", "0", "1", "r", "RIGHT", "COUNT", "5"}, {"RPUSH", "r", "a", "b"}},
        };
        for (String[][] blockedThenServed : cases) {
            step++;
            List<String> replies = new ArrayList<>();
            for (Side side : List.of(redisSide, cairnSide)) {
                try (Socket waiter = new Socket(InetAddress.getLoopbackAddress(), side.commands.getPort())) {
                    waiter.setSoTimeout(30_000);
                    waiter.getOutputStream().write(request(blockedThenServed[0]));
                    long deadline = System.nanoTime() + 30_000_000_000L;
                    while (!side.call("INFO", "clients").contains("blocked_clients:1")) {
                        assertThat(System.nanoTime()).as("client never blocked").isLessThan(deadline);
                        Thread.onSpinWait();
                    }
                    side.call(blockedThenServed[1]);
                    replies.add(WireDifferential.printable(
                            new RespReplyReader(new BufferedInputStream(waiter.getInputStream())).readRaw()));
                }
            }
            assertThat(replies.get(1)).as(blockedThenServed[0][0]).isEqualTo(replies.get(0));
            assertThat(cairnSide.notifications(step)).as(blockedThenServed[0][0])
                    .isEqualTo(redisSide.notifications(step));
        }
    }

    @Test
    void writesThroughTheJavaApiArePublishedForTheirDatabase() throws IOException {
        assertThat(cairnSide.call("CONFIG", "SET", "notify-keyspace-events", "K$")).isEqualTo("+OK\\r\\n");
        cairn.dictionary(5).strings().set("j", new byte[] {1});
        cairn.dictionary().lists().lpush("ignored", new byte[] {1});
        assertThat(cairnSide.notifications(1)).containsExactly(
                "*4\\r\\n$8\\r\\npmessage\\r\\n$10\\r\\n__key*__:*\\r\\n$16\\r\\n__keyspace@5__:j\\r\\n$3\\r\\nset\\r\\n");
        assertThat(cairnSide.call("CONFIG", "GET", "notify-keyspace-events"))
                .isEqualTo("*2\\r\\n$22\\r\\nnotify-keyspace-events\\r\\n$2\\r\\n$K\\r\\n");
        // Turned off: nothing is published, and the databases no longer build events.
        assertThat(cairnSide.call("CONFIG", "SET", "notify-keyspace-events", "")).isEqualTo("+OK\\r\\n");
        cairn.dictionary(5).strings().set("j", new byte[] {2});
        assertThat(cairnSide.notifications(2)).isEmpty();
    }

    @Test
    void configSetRefusesUnknownLettersAsRedisDoes() throws IOException {
        for (String flags : new String[] {"KEQ", "A b", "KEAn", "Kn", "nA", "", "KEm", "gxz", "$K"}) {
            assertThat(cairnSide.call("CONFIG", "SET", "notify-keyspace-events", flags))
                    .isEqualTo(redisSide.call("CONFIG", "SET", "notify-keyspace-events", flags));
            assertThat(cairnSide.call("CONFIG", "GET", "notify-keyspace-events"))
                    .as(flags).isEqualTo(redisSide.call("CONFIG", "GET", "notify-keyspace-events"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"KEA", "KEAn", "Kl$", "Exgn", "Eszh", "KEx"})
    void randomWritesPublishWhatRedisPublishes(String flags) throws IOException {
        for (Side side : List.of(redisSide, cairnSide)) {
            assertThat(side.call("CONFIG", "SET", "notify-keyspace-events", flags)).isEqualTo("+OK\\r\\n");
        }
        seed = System.nanoTime();
        random = new Random(seed);
        for (step = 1; step <= 400; step++) {
            if (random.nextInt(12) == 0) {
                List<String[]> block = new ArrayList<>();
                int n = 2 + random.nextInt(3);
                for (int i = 0; i < n; i++) {
                    block.add(write(false));
                }
                same(new String[] {"MULTI"});
                block.forEach(this::same);
                unordered = block.stream().anyMatch(command -> command[0].equals("SPOP"));
                same(new String[] {"EXEC"});
                last = "EXEC of " + block.stream().map(command -> String.join(" ", command)).toList();
            } else {
                String[] command = write(true);
                same(command);
                if (shortDeadlineKey != null) {
                    redisSide.awaitGone(shortDeadlineKey);
                    cairnSide.awaitGone(shortDeadlineKey);
                    shortDeadlineKey = null;
                }
            }
            List<String> expected = redisSide.notifications(step);
            List<String> actual = cairnSide.notifications(step);
            assertThat(actual).as("seed %d, step %d, flags %s: %s", seed, step, flags, last).isEqualTo(expected);
        }
    }

    private String last = "";
    private String shortDeadlineKey;

    private void same(String[] command) {
        try {
            last = String.join(" ", command);
            String expected = redisSide.call(command);
            String actual = cairnSide.call(command);
            if (unordered || command[0].equals("SPOP")) {
                // SPOP's members come in each server's own set order: compared as a multiset of lines.
                expected = sortedLines(expected);
                actual = sortedLines(actual);
                unordered = false;
            }
            assertThat(actual).as("seed %d, step %d: %s", seed, step, last).isEqualTo(expected);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private boolean unordered;
    private boolean inMulti;

    private static String sortedLines(String reply) {
        return String.join("|", new java.util.TreeSet<>(List.of(reply.split("\\\\r\\\\n"))));
    }

    private String pick(String[] names) {
        return names[random.nextInt(names.length)];
    }

    private String anyKey() {
        return pick(List.of(STRINGS, LISTS, HASHES, SETS, ZSETS).get(random.nextInt(5)));
    }

    private String member() {
        return pick(MEMBERS);
    }

    private String small() {
        return Integer.toString(random.nextInt(7) - 3);
    }

    /** Sets the short deadline key (outside MULTI only) and returns a deadline of 1 to 20 ms. */
    private String shortDeadline(String key, boolean mayExpire) {
        if (!mayExpire) {
            return "100000";
        }
        shortDeadlineKey = key;
        return Integer.toString(1 + random.nextInt(20));
    }

    private String[] write(boolean mayExpire) {
        return switch (random.nextInt(6)) {
            case 0 -> stringWrite(mayExpire);
            case 1 -> listWrite();
            case 2 -> hashWrite();
            case 3 -> setWrite();
            case 4 -> sortedSetWrite();
            default -> genericWrite(mayExpire);
        };
    }

    private String[] stringWrite(boolean mayExpire) {
        String k = pick(STRINGS);
        String v = Integer.toString(random.nextInt(100));
        return switch (random.nextInt(20)) {
            case 0 -> new String[] {"SET", k, v};
            case 1 -> new String[] {"SET", k, v, "EX", "1000"};
            case 2 -> new String[] {"SET", k, v, "PX", shortDeadline(k, mayExpire)};
            case 3 -> new String[] {"SET", k, v, random.nextBoolean() ? "NX" : "XX", "GET"};
            case 4 -> new String[] {"SET", k, v, "KEEPTTL"};
            case 5 -> new String[] {"SETNX", k, v};
            case 6 -> new String[] {"SETEX", k, "1000", v};
            case 7 -> new String[] {"GETSET", k, v};
            case 8 -> new String[] {"GETDEL", k};
            case 9 -> new String[] {"GETEX", k, "EX", "1000"};
            case 10 -> new String[] {"GETEX", k, "PERSIST"};
            case 11 -> new String[] {"GETEX", k, "PXAT", "1"};
            case 12 -> new String[] {"MSET", k, v, pick(STRINGS), v};
            case 13 -> new String[] {"MSETNX", k, v, pick(STRINGS), v};
            case 14 -> new String[] {random.nextBoolean() ? "INCR" : "DECR", k};
            case 15 -> new String[] {random.nextBoolean() ? "INCRBY" : "DECRBY", k, small()};
            case 16 -> new String[] {"INCRBYFLOAT", k, "1.5"};
            case 17 -> new String[] {"APPEND", k, random.nextBoolean() ? "" : v};
            case 18 -> new String[] {"SETRANGE", k, small().replace("-", ""), random.nextBoolean() ? "" : v};
            default -> switch (random.nextInt(3)) {
                case 0 -> new String[] {"SETBIT", k, Integer.toString(random.nextInt(20)), random.nextBoolean() ? "1" : "0"};
                case 1 -> new String[] {"BITOP", random.nextBoolean() ? "AND" : "OR", k, pick(STRINGS), pick(STRINGS)};
                default -> random.nextBoolean() ? new String[] {"BITFIELD", k, "SET", "u8", "0", v}
                        : new String[] {"BITFIELD", k, "GET", "u8", "0"};
            };
        };
    }

    private String[] listWrite() {
        String k = pick(LISTS);
        String e = member();
        return switch (random.nextInt(16)) {
            case 0, 1 -> new String[] {"LPUSH", k, e, member()};
            case 2, 3 -> new String[] {"RPUSH", k, e};
            case 4 -> new String[] {random.nextBoolean() ? "LPUSHX" : "RPUSHX", k, e};
            case 5 -> new String[] {"LPOP", k};
            case 6 -> new String[] {"RPOP", k, Integer.toString(random.nextInt(4))};
            case 7 -> new String[] {"LSET", k, small(), e};
            case 8 -> new String[] {"LINSERT", k, random.nextBoolean() ? "BEFORE" : "AFTER", member(), e};
            case 9 -> new String[] {"LREM", k, small(), e};
            case 10 -> new String[] {"LTRIM", k, small(), small()};
            case 11 -> new String[] {"LMOVE", k, pick(LISTS), random.nextBoolean() ? "LEFT" : "RIGHT",
                random.nextBoolean() ? "LEFT" : "RIGHT"};
            case 12 -> new String[] {"RPOPLPUSH", k, pick(LISTS)};
            case 13 -> new String[] {"LMPOP", "2", k, pick(LISTS), random.nextBoolean() ? "LEFT" : "RIGHT", "COUNT",
                Integer.toString(1 + random.nextInt(3))};
            case 14 -> new String[] {"SORT", k, "ALPHA", "STORE", pick(LISTS)};
            default -> new String[] {"BLPOP", pick(LISTS), k, "0.01"};
        };
    }

    private String[] hashWrite() {
        String k = pick(HASHES);
        String f = member();
        return switch (random.nextInt(7)) {
            case 0, 1 -> new String[] {"HSET", k, f, small(), member(), small()};
            case 2 -> new String[] {"HSETNX", k, f, small()};
            case 3 -> new String[] {"HDEL", k, f, member()};
            case 4 -> new String[] {"HINCRBY", k, f, small()};
            case 5 -> new String[] {"HINCRBYFLOAT", k, f, "0.5"};
            default -> new String[] {"HMSET", k, f, small()};
        };
    }

    private String[] setWrite() {
        String k = pick(SETS);
        return switch (random.nextInt(9)) {
            case 0, 1 -> new String[] {"SADD", k, member(), member()};
            case 2, 3 -> new String[] {"SREM", k, member(), member()};
            case 4 -> new String[] {"SMOVE", k, pick(SETS), member()};
            case 5 -> new String[] {"SPOP", k, "10"};
            case 6 -> new String[] {"SINTERSTORE", k, pick(SETS), pick(SETS)};
            case 7 -> new String[] {"SUNIONSTORE", k, pick(SETS), pick(SETS)};
            default -> new String[] {"SDIFFSTORE", k, pick(SETS), pick(SETS)};
        };
    }

    private String[] sortedSetWrite() {
        String k = pick(ZSETS);
        String m = member();
        return switch (random.nextInt(16)) {
            case 0, 1 -> new String[] {"ZADD", k, small(), m, small(), member()};
            case 2 -> new String[] {"ZADD", k, pick(new String[] {"NX", "XX", "GT", "LT"}), "CH", small(), m};
            case 3 -> new String[] {"ZADD", k, "INCR", small(), m};
            case 4 -> new String[] {"ZINCRBY", k, small(), m};
            case 5, 6 -> new String[] {"ZREM", k, m, member()};
            case 7 -> new String[] {"ZREMRANGEBYSCORE", k, small(), small()};
            case 8 -> new String[] {"ZREMRANGEBYRANK", k, small(), small()};
            case 9 -> new String[] {"ZREMRANGEBYLEX", k, "[a", "[" + m};
            case 10 -> new String[] {random.nextBoolean() ? "ZPOPMIN" : "ZPOPMAX", k, Integer.toString(random.nextInt(3))};
            case 11 -> new String[] {"ZMPOP", "2", k, pick(ZSETS), "MIN", "COUNT", "2"};
            case 12 -> new String[] {"ZUNIONSTORE", k, "2", pick(ZSETS), pick(ZSETS)};
            case 13 -> new String[] {"ZINTERSTORE", k, "2", pick(ZSETS), pick(ZSETS)};
            case 14 -> new String[] {"ZDIFFSTORE", k, "2", pick(ZSETS), pick(ZSETS)};
            default -> new String[] {"ZRANGESTORE", k, pick(ZSETS), "0", small()};
        };
    }

    private String[] genericWrite(boolean mayExpire) {
        String k = anyKey();
        return switch (random.nextInt(12)) {
            case 0 -> new String[] {"DEL", k, anyKey()};
            case 1 -> new String[] {"UNLINK", k};
            case 2 -> new String[] {"EXPIRE", k, "1000"};
            case 3 -> new String[] {"PEXPIRE", k, shortDeadline(k, mayExpire)};
            case 4 -> new String[] {"EXPIRE", k, "-1"};
            case 5 -> new String[] {"PERSIST", k};
            case 6 -> new String[] {"EXPIREAT", k, "1", random.nextBoolean() ? "NX" : "XX"};
            // Renames and copies keep to one type's names, so the pools keep their types.
            case 7 -> renameWithinType("RENAME");
            case 8 -> renameWithinType("RENAMENX");
            case 9 -> {
                String[] copy = renameWithinType("COPY");
                yield random.nextBoolean() ? copy : new String[] {copy[0], copy[1], copy[2], "REPLACE"};
            }
            case 10 -> new String[] {"PEXPIREAT", k, "1"};
            default -> new String[] {"TOUCH", k};
        };
    }

    private String[] renameWithinType(String command) {
        String[] pool = List.of(STRINGS, LISTS, HASHES, SETS, ZSETS).get(random.nextInt(5));
        return new String[] {command, pick(pool), pick(pool)};
    }
}
