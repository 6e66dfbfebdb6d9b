package dev.cairn.server.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.dictionary.CommandViews;
import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.command.CommandTable;
import dev.cairn.dictionary.command.Session;
import dev.cairn.testing.RedisProcess;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Sends the same commands to a real {@code redis-server} (over a socket, as raw RESP) and to a
 * Cairn dictionary (through the command table and the RESP writer) and requires the same reply
 * bytes, or, for commands whose order Redis does not define, the same elements.
 *
 * <p>A mismatch fails with the seed, the step, the command and both replies printed, so a seeded
 * sequence can be replayed.
 *
 * <p>Not thread-safe; one per test.
 */
final class WireDifferential implements AutoCloseable {
    private final long seed;
    private final Socket socket;
    private final OutputStream toRedis;
    private final RespReplyReader fromRedis;
    private final Cairn cairn = Cairn.inMemory();
    private final Dictionary dictionary = cairn.dictionary();
    private final CommandDispatcher dispatcher;
    private final RespWriter writer;
    private final Session session = new Session() {
        @Override
        public CommandViews views() {
            return dictionary;
        }

        @Override
        public Dictionary dictionary() {
            return dictionary;
        }

        @Override
        public <T> T atomically(Function<CommandViews, T> block) {
            return dictionary.exclusive(block::apply);
        }
    };
    private int step;

    /** Connects to {@code redis} (emptied first) speaking {@code protocol} (2 or 3). */
    WireDifferential(RedisProcess redis, long seed, int protocol) throws IOException {
        this(redis, seed, protocol, CommandTable.dictionary());
    }

    WireDifferential(RedisProcess redis, long seed, int protocol, CommandTable table) throws IOException {
        this.seed = seed;
        this.dispatcher = new CommandDispatcher(table);
        this.writer = new RespWriter(protocol);
        this.socket = new Socket(InetAddress.getLoopbackAddress(), redis.port());
        // A command that blocks on redis-server fails the test instead of hanging it.
        this.socket.setSoTimeout(30_000);
        this.toRedis = socket.getOutputStream();
        this.fromRedis = new RespReplyReader(new BufferedInputStream(socket.getInputStream()));
        redisReply(bytes("HELLO", Integer.toString(protocol)));
        redisReply(bytes("FLUSHALL"));
    }

    Dictionary dictionary() {
        return dictionary;
    }

    int steps() {
        return step;
    }

    static byte[][] bytes(String... command) {
        byte[][] args = new byte[command.length][];
        for (int i = 0; i < command.length; i++) {
            args[i] = command[i].getBytes(StandardCharsets.UTF_8);
        }
        return args;
    }

    /** The reply Redis gives to {@code command}. */
    byte[] redisReply(byte[][] command) {
        RespWriter request = new RespWriter(2);
        request.writeArrayLength(command.length);
        for (byte[] arg : command) {
            request.writeBulk(arg);
        }
        try {
            toRedis.write(request.toByteArray());
            toRedis.flush();
            return fromRedis.readRaw();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The reply Cairn gives to {@code command}. */
    byte[] cairnReply(byte[][] command) {
        writer.clear();
        dispatcher.execute(session, command, writer);
        return writer.toByteArray();
    }

    /** Requires byte-identical replies. */
    void check(String... command) {
        check(bytes(command));
    }

    void check(byte[]... command) {
        step++;
        byte[] redis = redisReply(command);
        byte[] cairn = cairnReply(command);
        if (!Arrays.equals(redis, cairn)) {
            assertThat(printable(cairn)).as(context(command)).isEqualTo(printable(redis));
        }
    }

    /**
     * Requires replies with the same elements in any order: for commands whose order Redis does
     * not define (SMEMBERS, HGETALL, KEYS, ...). Maps compare as sets of pairs; errors and
     * scalars as they are.
     */
    void checkUnordered(String... command) {
        checkUnordered(bytes(command));
    }

    void checkUnordered(byte[]... command) {
        step++;
        byte[] redis = redisReply(command);
        byte[] cairn = cairnReply(command);
        if (Arrays.equals(redis, cairn)) {
            return;
        }
        assertThat(normal(cairn)).as(context(command) + "\nCairn: " + printable(cairn) + "\nRedis: " + printable(redis))
                .isEqualTo(normal(redis));
    }

    /** The reply as a sorted list of its printed top-level elements (pairs for a map). */
    private static Object normal(byte[] raw) {
        Object value = RespReplyReader.parse(raw);
        if (!(value instanceof List<?> list)) {
            return show(value);
        }
        List<String> items = new ArrayList<>();
        boolean map = raw[0] == '%';
        for (int i = 0; i < list.size(); i++) {
            if (map) {
                items.add(show(list.get(i)) + "=" + show(list.get(++i)));
            } else {
                items.add(show(list.get(i)));
            }
        }
        items.sort(null);
        return (char) raw[0] + items.toString();
    }

    private static String show(Object value) {
        if (value instanceof byte[] bytes) {
            return printable(bytes);
        }
        if (value instanceof List<?> list) {
            List<String> shown = new ArrayList<>();
            list.forEach(v -> shown.add(show(v)));
            return shown.toString();
        }
        return String.valueOf(value);
    }

    private String context(byte[][] command) {
        StringBuilder text = new StringBuilder("seed ").append(seed).append(", step ").append(step).append(':');
        for (byte[] arg : command) {
            text.append(' ').append(printable(arg));
        }
        return text.toString();
    }

    /** Bytes with CR, LF and non-printable bytes escaped. */
    static String printable(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            int c = b & 0xFF;
            if (c == '\r') {
                text.append("\\r");
            } else if (c == '\n') {
                text.append("\\n");
            } else if (c >= 0x20 && c < 0x7F) {
                text.append((char) c);
            } else {
                text.append(String.format("\\x%02x", c));
            }
        }
        return text.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        cairn.close();
    }
}
