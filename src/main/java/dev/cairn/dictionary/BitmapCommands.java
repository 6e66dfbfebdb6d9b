package dev.cairn.dictionary;

import java.util.List;

/**
 * Commands on string values as arrays of bits: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD
 * and BITFIELD_RO. Bit 0 is the most significant bit of the first byte; a missing key reads as an
 * empty string, and bits past a string's end read as 0. Writes grow the string with zero bytes
 * as needed and keep its deadline (BITOP replaces the destination and clears it).
 *
 * <p>Every method is one atomic command and throws {@link WrongTypeException} (changing nothing)
 * when a key holds another type. Offsets are 0 to {@link #MAX_OFFSET}, so a bitmap stays within
 * the 512 MiB of a string; another offset is refused with an {@link IllegalArgumentException}
 * (Redis: {@code ERR bit offset is not an integer or out of range}).
 */
public interface BitmapCommands {
    /** The largest bit offset: the last bit of a 512 MiB string. */
    long MAX_OFFSET = 512L * 1024 * 1024 * 8 - 1;

    /** GETBIT: the bit at {@code offset}, false past the end or for a missing key. */
    boolean getBit(String key, long offset);

    /**
     * SETBIT: sets or clears the bit at {@code offset}, growing the string (or creating it) with
     * zero bytes as needed; the write counts even if the bit already had that value.
     *
     * @return the bit's previous value
     */
    boolean setBit(String key, long offset, boolean value);

    /** BITCOUNT key: the number of set bits in the whole string, 0 for a missing key. */
    long bitCount(String key);

    /**
     * BITCOUNT key start end [BYTE|BIT]: the number of set bits from {@code start} to {@code end}
     * inclusive, counted in {@code unit}s; negative indexes count from the end, out-of-range parts
     * are clipped, an empty range counts 0.
     */
    long bitCount(String key, long start, long end, BitUnit unit);

    /**
     * BITPOS key bit: the position of the first bit equal to {@code bit}. For a clear bit in a
     * string of only set bits this is the bit just past the end (the string is taken as padded
     * with zeros); for a set bit that is not there, -1. A missing key answers 0 for a clear bit
     * and -1 for a set one; an empty string answers -1.
     */
    long bitPos(String key, boolean bit);

    /** BITPOS key bit start: as {@link #bitPos(String, boolean)} from byte {@code start} (negative: from the end). */
    long bitPos(String key, boolean bit, long start);

    /**
     * BITPOS key bit start end [BYTE|BIT]: the first position (counted in bits from the start of
     * the string) of {@code bit} from {@code start} to {@code end} inclusive, in {@code unit}s. With
     * an end given no padding is assumed: a clear bit not found in the range answers -1. A missing
     * key answers 0 for a clear bit and -1 for a set one whatever the range.
     */
    long bitPos(String key, boolean bit, long start, long end, BitUnit unit);

    /**
     * BITOP op destination key...: stores the bitwise operation of the source strings (missing
     * keys and shorter strings read as zero bytes up to the longest) in {@code destination},
     * replacing whatever it held and clearing its deadline; if every source is empty or missing,
     * deletes {@code destination} instead.
     *
     * @return the length of the result in bytes (0 when {@code destination} was deleted)
     * @throws IllegalArgumentException if no key is given, or NOT gets more than one
     */
    long bitOp(BitOperation op, String destination, String... keys);

    /**
     * BITFIELD key subcommand...: runs the subcommands in order and answers one value per GET, SET
     * (the previous value) and INCRBY (the new value); a SET or INCRBY refused by
     * {@link BitFieldArgs.Overflow#FAIL} answers null and changes nothing. If any subcommand
     * writes, the string is first created or grown with zero bytes to hold the farthest field
     * written, even if every write then fails.
     */
    List<Long> bitField(String key, BitFieldArgs args);

    /**
     * BITFIELD_RO key GET...: BITFIELD that only reads.
     *
     * @throws IllegalArgumentException if {@code args} holds a SET or INCRBY
     */
    List<Long> bitFieldRo(String key, BitFieldArgs args);
}
