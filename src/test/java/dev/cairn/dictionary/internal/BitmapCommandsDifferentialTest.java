package dev.cairn.dictionary.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.dictionary.BitFieldArgs;
import dev.cairn.dictionary.BitFieldType;
import dev.cairn.dictionary.BitOperation;
import dev.cairn.dictionary.BitUnit;
import dev.cairn.dictionary.BitmapCommands;
import dev.cairn.dictionary.ExpireCondition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * Differential test of the bitmap commands: a long seeded random sequence of SETBIT, GETBIT,
 * BITCOUNT, BITPOS, BITOP, BITFIELD and BITFIELD_RO (with SET, GET, EXPIRE and a hash key for
 * WRONGTYPE mixed in) run on a real Redis 7 and on the Dictionary, requiring equal replies and
 * error classes at every step. Values are short random binary strings, so ranges, edges and
 * padding are hit often; BITFIELD mixes every type width, {@code #N} offsets, the three overflow
 * policies and values at the fields' limits. Afterwards the Dictionary is reopened from its
 * append-only file and must hold the same content. The seed is printed on failure and read from
 * {@code -Dcairn.seed} to replay.
 */
class BitmapCommandsDifferentialTest {
    @RegisterExtension
    static final RedisServer REDIS = new RedisServer();

    private static final int STEPS = Integer.getInteger("cairn.fuzz.iterations", 200) * 10;
    private static final long[] EDGE_VALUES = {
        0, 1, -1, 2, 7, 8, 127, 128, -128, -129, 255, 256, 32767, -32768, 65535, Integer.MAX_VALUE,
        Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1, Long.MIN_VALUE + 1,
        (1L << 62), -(1L << 62), (1L << 63) - 2,
    };

    private final long seed = Long.getLong("cairn.seed", System.nanoTime());
    private final Random random = new Random(seed);
    private final Differential diff = new Differential(seed);
    private ReplayedDictionary replayed;
    private BitmapCommands bitmaps;
    private Jedis redis;
    private long startMs;
    private final List<WriteEntry> entries = new ArrayList<>();

    @BeforeEach
    void open() {
        startMs = System.currentTimeMillis();
        replayed = new ReplayedDictionary(new ManualClock(startMs), entries::add);
        bitmaps = replayed.dictionary().bitmaps();
        redis = REDIS.client();
    }

    @AfterEach
    void close() {
        replayed.close();
    }

    private String key() {
        return random.nextInt(15) == 0 ? "hash" : "b" + random.nextInt(4);
    }

    private byte[] bytes() {
        byte[] value = new byte[random.nextInt(7)];
        for (int i = 0; i < value.length; i++) {
            // Mostly all-clear and all-set bytes, so searches run past whole bytes.
            value[i] = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> (byte) 0xFF;
                default -> (byte) random.nextInt(256);
            };
        }
        return value;
    }

    private long index() {
        return random.nextInt(9) == 0 ? (random.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE)
                : random.nextInt(21) - 10;
    }

    private long offset() {
        return switch (random.nextInt(12)) {
            case 0 -> -1;
            case 1 -> BitmapCommands.MAX_OFFSET + 1;
            default -> random.nextInt(70);
        };
    }

    private static byte[] b(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static long n(boolean flag) {
        return flag ? 1 : 0;
    }

    private Object raw(Protocol.Command command, String... args) {
        return redis.sendCommand(command, args);
    }

    private Object raw(Protocol.Command command, byte[]... args) {
        return redis.sendCommand(command, args);
    }

    @Test
    void randomBitmapCommandSequencesMatchRedis() {
        redis.hset("hash", "f", "v");
        replayed.dictionary().hashes().hset("hash", "f", b("v"));
        for (int step = 0; step < STEPS; step++) {
            String k = key();
            switch (random.nextInt(16)) {
                case 0, 1 -> {
                    byte[] value = bytes();
                    diff.check("SET " + k + " (" + value.length + " bytes)", () -> raw(Protocol.Command.SET, b(k), value),
                            () -> {
                                replayed.dictionary().strings().set(k, value);
                                return "OK";
                            });
                }
                case 2, 3 -> {
                    long offset = offset();
                    boolean bit = random.nextBoolean();
                    diff.check("SETBIT " + k + " " + offset + " " + n(bit),
                            () -> raw(Protocol.Command.SETBIT, k, Long.toString(offset), bit ? "1" : "0"),
                            () -> n(bitmaps.setBit(k, offset, bit)));
                }
                case 4 -> {
                    long offset = random.nextInt(5) == 0 ? BitmapCommands.MAX_OFFSET : offset();
                    diff.check("GETBIT " + k + " " + offset, () -> raw(Protocol.Command.GETBIT, k, Long.toString(offset)),
                            () -> n(bitmaps.getBit(k, offset)));
                }
                case 5 -> bitCount(k);
                case 6, 7 -> bitPos(k);
                case 8 -> bitOp(k);
                case 9, 10, 11 -> bitField(k, false);
                case 12 -> bitField(k, true);
                case 13 -> diff.check("GET " + k, () -> redis.sendCommand(Protocol.Command.GET, k),
                        () -> replayed.dictionary().strings().get(k));
                case 14 -> {
                    long at = startMs + 3_600_000L * (1 + random.nextInt(4));
                    diff.check("PEXPIREAT " + k + " " + at, () -> redis.pexpireAt(k, at),
                            () -> n(replayed.dictionary().keys().pexpireAt(k, at, ExpireCondition.ALWAYS)));
                }
                default -> diff.check("PEXPIRETIME " + k, () -> redis.pexpireTime(k),
                        () -> replayed.dictionary().keys().pexpireTime(k));
            }
        }
        diff.check("KEYS * (final)", () -> Differential.unordered(redis.keys("*")),
                () -> Differential.unordered(replayed.dictionary().keys().keys("*")));
        replayLogOnRedis();
        replayed.assertReplayRebuildsTheSameState("seed " + seed);
        assertThat(diff.commandsRun()).as("seed %d: commands the sequence must cover", seed)
                .contains("SETBIT", "GETBIT", "BITCOUNT", "BITPOS", "BITOP", "BITFIELD", "BITFIELD_RO");
    }

    /**
     * The logged forms are Redis commands with the same meaning: the entries, sent to an empty
     * Redis database, rebuild the Dictionary's values and deadlines.
     */
    private void replayLogOnRedis() {
        redis.select(1);
        try {
            for (WriteEntry entry : entries) {
                for (List<byte[]> command : entry.commands()) {
                    byte[][] args = command.subList(1, command.size()).toArray(new byte[0][]);
                    redis.sendCommand(Protocol.Command.valueOf(new String(command.get(0), StandardCharsets.US_ASCII)), args);
                }
            }
            for (String k : new String[] {"b0", "b1", "b2", "b3", "hash"}) {
                diff.check("TYPE " + k + " (log replayed)", () -> redis.type(k),
                        () -> replayed.dictionary().keys().type(k).redisName());
                diff.check("PEXPIRETIME " + k + " (log replayed)", () -> redis.pexpireTime(k),
                        () -> replayed.dictionary().keys().pexpireTime(k));
                if (redis.type(k).equals("string")) {
                    diff.check("GET " + k + " (log replayed)", () -> redis.sendCommand(Protocol.Command.GET, k),
                            () -> replayed.dictionary().strings().get(k));
                }
            }
        } finally {
            redis.select(0);
        }
    }

    private void bitCount(String k) {
        if (random.nextInt(4) == 0) {
            diff.check("BITCOUNT " + k, () -> raw(Protocol.Command.BITCOUNT, k), () -> bitmaps.bitCount(k));
            return;
        }
        long start = index();
        long end = index();
        BitUnit unit = random.nextBoolean() ? BitUnit.BYTE : BitUnit.BIT;
        boolean named = unit == BitUnit.BIT || random.nextBoolean();
        String[] args = named ? new String[] {k, Long.toString(start), Long.toString(end), unit.name()}
                : new String[] {k, Long.toString(start), Long.toString(end)};
        diff.check("BITCOUNT " + String.join(" ", args), () -> raw(Protocol.Command.BITCOUNT, args),
                () -> bitmaps.bitCount(k, start, end, unit));
    }

    private void bitPos(String k) {
        boolean bit = random.nextBoolean();
        String b = bit ? "1" : "0";
        long start = index();
        long end = index();
        switch (random.nextInt(4)) {
            case 0 -> diff.check("BITPOS " + k + " " + b, () -> raw(Protocol.Command.BITPOS, k, b),
                    () -> bitmaps.bitPos(k, bit));
            case 1 -> diff.check("BITPOS " + k + " " + b + " " + start,
                    () -> raw(Protocol.Command.BITPOS, k, b, Long.toString(start)), () -> bitmaps.bitPos(k, bit, start));
            case 2 -> diff.check("BITPOS " + k + " " + b + " " + start + " " + end,
                    () -> raw(Protocol.Command.BITPOS, k, b, Long.toString(start), Long.toString(end)),
                    () -> bitmaps.bitPos(k, bit, start, end, BitUnit.BYTE));
            default -> {
                BitUnit unit = random.nextBoolean() ? BitUnit.BYTE : BitUnit.BIT;
                diff.check("BITPOS " + k + " " + b + " " + start + " " + end + " " + unit,
                        () -> raw(Protocol.Command.BITPOS, k, b, Long.toString(start), Long.toString(end), unit.name()),
                        () -> bitmaps.bitPos(k, bit, start, end, unit));
            }
        }
    }

    private void bitOp(String destination) {
        BitOperation op = BitOperation.values()[random.nextInt(BitOperation.values().length)];
        int count = op == BitOperation.NOT && random.nextInt(5) != 0 ? 1 : 1 + random.nextInt(3);
        String[] keys = new String[count];
        for (int i = 0; i < count; i++) {
            keys[i] = key();
        }
        List<String> args = new ArrayList<>(List.of(op.name(), destination));
        args.addAll(List.of(keys));
        diff.check("BITOP " + String.join(" ", args), () -> raw(Protocol.Command.BITOP, args.toArray(new String[0])),
                () -> bitmaps.bitOp(op, destination, keys));
    }

    private BitFieldType type() {
        boolean signed = random.nextBoolean();
        int bits = random.nextInt(4) == 0 ? (signed ? 64 : 63) : 1 + random.nextInt(signed ? 64 : 63);
        return new BitFieldType(signed, bits);
    }

    private long fieldValue(BitFieldType type) {
        return switch (random.nextInt(4)) {
            case 0 -> random.nextLong();
            case 1 -> (type.signed() ? (1L << (type.bits() - 1)) : (1L << type.bits())) - random.nextInt(3);
            case 2 -> -(type.signed() ? (1L << (type.bits() - 1)) : (1L << type.bits())) + random.nextInt(3) - 1;
            default -> EDGE_VALUES[random.nextInt(EDGE_VALUES.length)];
        };
    }

    private void bitField(String k, boolean readOnly) {
        BitFieldArgs args = BitFieldArgs.EMPTY;
        List<String> words = new ArrayList<>(List.of(k));
        boolean invalid = false;
        for (int i = random.nextInt(5); i > 0; i--) {
            int kind = readOnly && random.nextInt(8) != 0 ? 0 : random.nextInt(4);
            if (kind == 3) {
                BitFieldArgs.Overflow overflow = BitFieldArgs.Overflow.values()[random.nextInt(3)];
                args = args.overflow(overflow);
                words.addAll(List.of("OVERFLOW", overflow.name()));
                continue;
            }
            BitFieldType type = type();
            long offset;
            String offsetWord;
            if (random.nextInt(4) == 0) {
                long index = random.nextInt(5) - (random.nextInt(6) == 0 ? 2 : 0);
                offset = type.offsetOf(index);
                offsetWord = "#" + index;
            } else {
                offset = random.nextInt(15) == 0 ? BitmapCommands.MAX_OFFSET + 1 : random.nextInt(40);
                offsetWord = Long.toString(offset);
            }
            long value = fieldValue(type);
            String name = kind == 0 ? "GET" : kind == 1 ? "SET" : "INCRBY";
            words.addAll(List.of(name, type.toString(), offsetWord));
            if (kind != 0) {
                words.add(Long.toString(value));
            }
            try {
                args = kind == 0 ? args.get(type, offset) : kind == 1 ? args.set(type, offset, value)
                        : args.incrBy(type, offset, value);
            } catch (IllegalArgumentException outOfRange) {
                invalid = true;
            }
        }
        BitFieldArgs finalArgs = args;
        boolean finalInvalid = invalid;
        Protocol.Command command = readOnly ? Protocol.Command.BITFIELD_RO : Protocol.Command.BITFIELD;
        diff.check(command + " " + String.join(" ", words), () -> raw(command, words.toArray(new String[0])), () -> {
            if (finalInvalid) {
                throw new IllegalArgumentException("an offset out of range was refused while building the arguments");
            }
            return readOnly ? bitmaps.bitFieldRo(k, finalArgs) : bitmaps.bitField(k, finalArgs);
        });
    }
}
