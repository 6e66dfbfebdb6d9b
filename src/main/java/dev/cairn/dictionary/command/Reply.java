package dev.cairn.dictionary.command;

/**
 * Where a command writes its reply, in the terms of RESP's types, for a client of protocol 2 or 3.
 * A command writes exactly one reply (an aggregate header followed by its elements counts as one).
 * The writer encodes each type as Redis does for the client's protocol: a map is a flat array
 * under RESP2, a double a bulk string, a null the type-specific null.
 */
public interface Reply {

    /** The protocol version of the client: 2 or 3. */
    int protocol();

    /** A status line, such as {@code OK}. */
    void writeSimpleString(String text);

    /** An error line: the whole text after the {@code -}, starting with its code (e.g. {@code ERR ...}). */
    void writeError(String text);

    void writeInteger(long value);

    /** A binary-safe bulk string. */
    void writeBulk(byte[] bytes);

    /** A bulk string of the UTF-8 encoding of {@code text}. */
    void writeBulk(String text);

    /** The null of a missing value. */
    void writeNullBulk();

    /** The null of a missing aggregate. */
    void writeNullArray();

    void writeArrayLength(long length);

    /** The header of a map of {@code pairs} pairs (a flat array of twice as many under RESP2). */
    void writeMapLength(long pairs);

    /** The header of a set (an array under RESP2). */
    void writeSetLength(long length);

    /** A double (a bulk string of it under RESP2). */
    void writeDouble(double value);

    /** A boolean (the integer 1 or 0 under RESP2). */
    void writeBoolean(boolean value);

    /** A verbatim string of {@code format} ({@code txt}, {@code mkd}): a bulk string under RESP2. */
    void writeVerbatim(String format, String text);
}
