package dev.cairn.dictionary.command;

import static dev.cairn.dictionary.command.CommandFlag.DENYOOM;
import static dev.cairn.dictionary.command.CommandFlag.FAST;
import static dev.cairn.dictionary.command.CommandFlag.READONLY;
import static dev.cairn.dictionary.command.CommandFlag.WRITE;
import static dev.cairn.dictionary.command.CommandTable.flags;

import dev.cairn.dictionary.BitFieldArgs;
import dev.cairn.dictionary.BitFieldType;
import dev.cairn.dictionary.BitOperation;
import dev.cairn.dictionary.BitUnit;
import dev.cairn.dictionary.BitmapCommands;
import dev.cairn.dictionary.CommandViews;
import dev.cairn.dictionary.KeyType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The commands on strings as arrays of bits (Redis's {@code bitmap} group): SETBIT, GETBIT,
 * BITCOUNT, BITPOS, BITOP, BITFIELD and BITFIELD_RO. Arguments are checked in Redis 7.0's order:
 * SETBIT's offset before its bit before the key's type; BITCOUNT's key (a missing key counts 0
 * whatever the range) before its range; BITPOS's bit before the key and the key before its range;
 * every BITFIELD subcommand before the key.
 */
final class BitmapFamily {
    private static final String GROUP = "bitmap";
    private static final String BAD_OFFSET = "ERR bit offset is not an integer or out of range";
    private static final String BAD_BIT = "ERR bit is not an integer or out of range";
    private static final String BAD_TYPE =
            "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";

    private BitmapFamily() {
    }

    static void register(CommandTable.Builder b) {
        b.add("setbit", 4, GROUP, flags(WRITE, DENYOOM), 1, 1, 1, BitmapFamily::setBit);
        b.add("getbit", 3, GROUP, flags(READONLY, FAST), 1, 1, 1,
                (s, a, r) -> Replies.flag(r, s.views().bitmaps().getBit(a.key(1), offset(a.bytes(2), false, 0))));
        b.add("bitcount", -2, GROUP, flags(READONLY), 1, 1, 1, BitmapFamily::bitCount);
        b.add("bitpos", -3, GROUP, flags(READONLY), 1, 1, 1, BitmapFamily::bitPos);
        b.add("bitop", -4, GROUP, flags(WRITE, DENYOOM), 2, -1, 1, BitmapFamily::bitOp);
        b.add("bitfield", -2, GROUP, flags(WRITE, DENYOOM), 1, 1, 1, (s, a, r) -> bitField(s, a, r, false));
        b.add("bitfield_ro", -2, GROUP, flags(READONLY, FAST), 1, 1, 1, (s, a, r) -> bitField(s, a, r, true));
    }

    /**
     * A bit offset as Redis reads it: an integer from 0 to {@link BitmapCommands#MAX_OFFSET}; with
     * {@code hash}, BITFIELD's {@code #index} form too, multiplied by the field's width (wrapping
     * around as Redis's 64-bit product does).
     */
    private static long offset(byte[] bytes, boolean hash, int bits) {
        boolean indexed = hash && bytes.length > 1 && bytes[0] == '#';
        Long value = Arguments.parseLong(indexed ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes);
        if (value == null) {
            throw new CommandException(BAD_OFFSET);
        }
        long offset = indexed ? value * bits : value;
        if (offset < 0 || offset > BitmapCommands.MAX_OFFSET) {
            throw new CommandException(BAD_OFFSET);
        }
        return offset;
    }

    /** SETBIT key offset 0|1. */
    private static void setBit(Session s, Arguments a, Reply r) {
        long offset = offset(a.bytes(2), false, 0);
        long bit = a.integer(3, BAD_BIT);
        if (bit != 0 && bit != 1) {
            throw new CommandException(BAD_BIT);
        }
        Replies.flag(r, s.views().bitmaps().setBit(a.key(1), offset, bit == 1));
    }

    /** BYTE or BIT, else a syntax error. */
    private static BitUnit unit(Arguments a, int index) {
        if (a.is(index, "BYTE")) {
            return BitUnit.BYTE;
        }
        if (a.is(index, "BIT")) {
            return BitUnit.BIT;
        }
        throw Arguments.syntax();
    }

    /** Whether {@code key} holds a string, refusing another type; false if it does not exist. */
    private static boolean stringExists(CommandViews views, String key) {
        KeyType type = views.keys().type(key);
        if (type == KeyType.NONE) {
            return false;
        }
        if (type != KeyType.STRING) {
            throw new CommandException(ErrorReplies.WRONGTYPE);
        }
        return true;
    }

    /**
     * BITCOUNT key [start end [BYTE|BIT]]. Redis looks the key up before it reads the range (a
     * missing key answers 0 whatever follows) and counts that one lookup as a keyspace hit or
     * miss; here the range is read first and only a bad one takes a separate look at the key, so
     * every path looks the key up once.
     */
    private static void bitCount(Session s, Arguments a, Reply r) {
        String key = a.key(1);
        long count = s.atomically(views -> {
            BitmapCommands bitmaps = views.bitmaps();
            if (a.count() == 2) {
                return bitmaps.bitCount(key);
            }
            long start;
            long end;
            BitUnit unit;
            try {
                if (a.count() != 4 && a.count() != 5) {
                    throw Arguments.syntax();
                }
                start = a.integer(2);
                end = a.integer(3);
                unit = a.count() == 5 ? unit(a, 4) : BitUnit.BYTE;
            } catch (CommandException badRange) {
                if (!stringExists(views, key)) {
                    return 0L;
                }
                throw badRange;
            }
            return bitmaps.bitCount(key, start, end, unit);
        });
        r.writeInteger(count);
    }

    /** BITPOS key bit [start [end [BYTE|BIT]]]; the key is looked up once, as for BITCOUNT. */
    private static void bitPos(Session s, Arguments a, Reply r) {
        long bitValue = a.integer(2);
        if (bitValue != 0 && bitValue != 1) {
            throw new CommandException("ERR The bit argument must be 1 or 0.");
        }
        boolean bit = bitValue == 1;
        String key = a.key(1);
        long position = s.atomically(views -> {
            BitmapCommands bitmaps = views.bitmaps();
            if (a.count() == 3) {
                return bitmaps.bitPos(key, bit);
            }
            long start;
            long end = 0;
            BitUnit unit = BitUnit.BYTE;
            try {
                if (a.count() > 6) {
                    throw Arguments.syntax();
                }
                start = a.integer(3);
                if (a.count() >= 5) {
                    // Redis reads the unit before the end.
                    unit = a.count() == 6 ? unit(a, 5) : BitUnit.BYTE;
                    end = a.integer(4);
                }
            } catch (CommandException badRange) {
                if (!stringExists(views, key)) {
                    return bit ? -1L : 0L;
                }
                throw badRange;
            }
            if (a.count() == 4) {
                return bitmaps.bitPos(key, bit, start);
            }
            return bitmaps.bitPos(key, bit, start, end, unit);
        });
        r.writeInteger(position);
    }

    /** BITOP AND|OR|XOR|NOT destination key [key ...]. */
    private static void bitOp(Session s, Arguments a, Reply r) {
        BitOperation op;
        if (a.is(1, "AND")) {
            op = BitOperation.AND;
        } else if (a.is(1, "OR")) {
            op = BitOperation.OR;
        } else if (a.is(1, "XOR")) {
            op = BitOperation.XOR;
        } else if (a.is(1, "NOT")) {
            op = BitOperation.NOT;
        } else {
            throw Arguments.syntax();
        }
        if (op == BitOperation.NOT && a.count() != 4) {
            throw new CommandException("ERR BITOP NOT must be called with a single source key.");
        }
        r.writeInteger(s.views().bitmaps().bitOp(op, a.key(2), a.keysFrom(3)));
    }

    /** A BITFIELD type: {@code i} or {@code u} and a width, read up to a NUL byte as Redis reads it. */
    private static BitFieldType type(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        try {
            return BitFieldType.parse(new String(bytes, 0, end, StandardCharsets.ISO_8859_1));
        } catch (IllegalArgumentException e) {
            throw new CommandException(BAD_TYPE);
        }
    }

    /**
     * BITFIELD key [GET type offset] [SET type offset value] [INCRBY type offset increment]
     * [OVERFLOW WRAP|SAT|FAIL] ..., and BITFIELD_RO key [GET type offset] ..., which parses every
     * subcommand and then refuses a SET or INCRBY.
     */
    private static void bitField(Session s, Arguments a, Reply r, boolean readOnly) {
        BitFieldArgs args = BitFieldArgs.EMPTY;
        for (int i = 2; i < a.count(); i++) {
            int left = a.count() - i - 1;
            BitFieldArgs.Kind kind;
            if (a.is(i, "GET") && left >= 2) {
                kind = BitFieldArgs.Kind.GET;
            } else if (a.is(i, "SET") && left >= 3) {
                kind = BitFieldArgs.Kind.SET;
            } else if (a.is(i, "INCRBY") && left >= 3) {
                kind = BitFieldArgs.Kind.INCRBY;
            } else if (a.is(i, "OVERFLOW") && left >= 1) {
                i++;
                if (a.is(i, "WRAP")) {
                    args = args.overflow(BitFieldArgs.Overflow.WRAP);
                } else if (a.is(i, "SAT")) {
                    args = args.overflow(BitFieldArgs.Overflow.SAT);
                } else if (a.is(i, "FAIL")) {
                    args = args.overflow(BitFieldArgs.Overflow.FAIL);
                } else {
                    throw new CommandException("ERR Invalid OVERFLOW type specified");
                }
                continue;
            } else {
                throw Arguments.syntax();
            }
            BitFieldType type = type(a.bytes(i + 1));
            long offset = offset(a.bytes(i + 2), true, type.bits());
            if (kind == BitFieldArgs.Kind.GET) {
                args = args.get(type, offset);
                i += 2;
            } else {
                long value = a.integer(i + 3);
                args = kind == BitFieldArgs.Kind.SET ? args.set(type, offset, value) : args.incrBy(type, offset, value);
                i += 3;
            }
        }
        if (readOnly && args.writes()) {
            throw new CommandException("ERR BITFIELD_RO only supports the GET subcommand");
        }
        BitmapCommands bitmaps = s.views().bitmaps();
        List<Long> values = readOnly ? bitmaps.bitFieldRo(a.key(1), args) : bitmaps.bitField(a.key(1), args);
        r.writeArrayLength(values.size());
        for (Long value : values) {
            if (value == null) {
                r.writeNullBulk();
            } else {
                r.writeInteger(value);
            }
        }
    }
}
