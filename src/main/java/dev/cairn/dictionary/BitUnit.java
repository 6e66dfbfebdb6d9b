package dev.cairn.dictionary;

/** The unit of the range of BITCOUNT and BITPOS, as Redis 7's {@code BYTE} and {@code BIT} options. */
public enum BitUnit {
    /** Start and end index bytes (the default). */
    BYTE,
    /** Start and end index bits, the first bit being the most significant bit of the first byte. */
    BIT
}
