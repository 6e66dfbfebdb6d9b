package dev.cairn.server.redis;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns the bytes a client sends into {@link RespCommand}s, incrementally, as Redis 7 does
 * ({@code processInputBuffer}, {@code processMultibulkBuffer} and {@code processInlineBuffer} in
 * its networking.c, whose rules this class re-implements).
 *
 * <h2>Framing</h2>
 * A request that starts with {@code *} is a multibulk request, {@code *<n>\r\n} followed by n
 * arguments {@code $<len>\r\n<len bytes>\r\n}; arguments are binary-safe. Any other request is an
 * inline command: one line, ended by \n with an optional \r before it, split with Redis's quoting
 * rules (see {@link InlineArguments}). A request with no arguments (a blank line, {@code *0},
 * a negative count) is skipped, as Redis skips it. Numbers are read as Redis's {@code string2ll}
 * reads them: an optional '-', no '+', no leading zeros, at most 20 characters. As in Redis, the two
 * bytes after an argument's body and the byte after a header's \r are skipped unchecked, and the
 * search for a line's end stops at a NUL byte (Redis searches a C string), so a header or inline
 * line with a NUL before its end never completes and eventually hits the 64 KiB limit.
 *
 * <h2>Protocol errors</h2>
 * Each is a {@link RespProtocolException} carrying Redis's error reply; the connection must then be
 * closed. After one, the parser stays failed and throws it again.
 * <table>
 *   <caption>Protocol errors</caption>
 *   <tr><th>condition</th><th>error reply</th></tr>
 *   <tr><td>an inline line passes 64 KiB with no \n</td><td>ERR Protocol error: too big inline request</td></tr>
 *   <tr><td>a {@code *} count header passes 64 KiB with no \r</td><td>ERR Protocol error: too big mbulk count string</td></tr>
 *   <tr><td>a {@code $} length header passes 64 KiB with no \r</td><td>ERR Protocol error: too big bulk count string</td></tr>
 *   <tr><td>the count is not a number or is above 2147483647 (INT_MAX)</td><td>ERR Protocol error: invalid multibulk length</td></tr>
 *   <tr><td>the count is above 10 and the client has not authenticated</td><td>ERR Protocol error: unauthenticated multibulk length</td></tr>
 *   <tr><td>an argument header does not start with {@code $}</td><td>ERR Protocol error: expected '$', got 'X'
 *       (X the byte found; CR and LF shown as a space)</td></tr>
 *   <tr><td>the length is not a number, negative, or above {@link RespLimits#maxBulkBytes()}</td><td>ERR Protocol error: invalid bulk length</td></tr>
 *   <tr><td>the length is above 16384 and the client has not authenticated</td><td>ERR Protocol error: unauthenticated bulk length</td></tr>
 *   <tr><td>an inline line's quotes are unbalanced</td><td>ERR Protocol error: unbalanced quotes in request</td></tr>
 *   <tr><td>{@link #checkQueryBuffer} finds more than {@link RespLimits#queryBufferLimitBytes()} held</td><td>none: closed without a reply</td></tr>
 * </table>
 *
 * <h2>Memory</h2>
 * Nothing is allocated for a declared length before its bytes arrive. An argument shorter than
 * 32 KiB (Redis's PROTO_MBULK_BIG_ARG) waits in the caller's buffer until it is whole; a longer one
 * is moved out of the caller's buffer as it arrives, into an array that grows to at most twice the
 * bytes received (and never past the declared length), so a client that declares 512 MiB and sends
 * nothing costs nothing. Completed arguments of an unfinished command are held, as Redis holds
 * them in argv.
 *
 * <p>Not thread-safe: one parser per connection, used by the connection's thread.
 */
final class RespRequestParser {
    /** Redis's PROTO_INLINE_MAX_SIZE: the longest inline line or header without its end. */
    static final int INLINE_MAX_BYTES = 64 * 1024;
    /** Redis's PROTO_MBULK_BIG_ARG: arguments this long are taken out of the input as they arrive. */
    static final int BIG_ARGUMENT_BYTES = 32 * 1024;
    /** The most arguments a client that has not authenticated may send in one command. */
    static final int UNAUTHENTICATED_MAX_ARGUMENTS = 10;
    /** The longest argument a client that has not authenticated may send. */
    static final int UNAUTHENTICATED_MAX_BULK_BYTES = 16 * 1024;
    /** Redis's LONG_STR_SIZE: string2ll refuses numbers of this many characters or more. */
    private static final int LONG_STRING_SIZE = 21;
    /** Redis preallocates argv for at most this many arguments, whatever the count says. */
    private static final int INITIAL_ARGUMENTS_CEILING = 1024;

    private static final byte[] EMPTY = new byte[0];
    private static final ByteProcessor FIND_LF_BEFORE_NUL = b -> b != '\n' && b != 0;
    private static final ByteProcessor FIND_CR_BEFORE_NUL = b -> b != '\r' && b != 0;

    private enum RequestType { UNKNOWN, INLINE, MULTIBULK }

    private final RespLimits limits;
    private boolean authenticated = true;

    private RequestType type = RequestType.UNKNOWN;
    /** Arguments of the multibulk request still to read; 0 when its count is not read yet. */
    private long argumentsLeft;
    /** The length of the argument being read; -1 when its header is not read yet. */
    private long bulkLength = -1;
    /**
     * The arguments read so far, in {@code arguments[0, argumentCount)}: sized to the count the
     * client declared up to {@link #INITIAL_ARGUMENTS_CEILING} and grown past it as arguments
     * arrive, so a command is handed over in the array it was read into.
     */
    private byte[][] arguments;
    private int argumentCount;
    private long argumentBytes;
    /** A long argument being received; null otherwise. */
    private byte[] bigArgument;
    private int bigArgumentFilled;
    /** The request finished by the last step; null when it had no arguments. */
    private RespCommand finished;
    /** string2ll's result, valid after it returned true. */
    private long parsedNumber;
    private RespProtocolException failure;

    /** A parser with {@code limits}, for a client that counts as authenticated. */
    public RespRequestParser(RespLimits limits) {
        if (limits == null) {
            throw new IllegalArgumentException("limits must not be null");
        }
        this.limits = limits;
    }

    /**
     * Whether the client counts as authenticated (true at first). Set false while a server that
     * requires a password has not yet seen this client log in: then a command may have at most 10
     * arguments of at most 16384 bytes each, as Redis allows before AUTH.
     */
    public void setAuthenticated(boolean authenticated) {
        this.authenticated = authenticated;
    }

    /** The limits this parser applies. */
    public RespLimits limits() {
        return limits;
    }

    /**
     * Reads the next whole command from {@code in}, consuming its bytes, or returns null when
     * {@code in} holds no whole command yet (the bytes read so far are consumed or left in
     * {@code in}; call again with the same buffer once more bytes are appended).
     *
     * @throws RespProtocolException if the client broke the protocol (see the class comment); the
     *     connection must be closed after the error reply
     */
    public RespCommand parse(ByteBuf in) {
        if (failure != null) {
            throw failure;
        }
        try {
            while (true) {
                if (type == RequestType.UNKNOWN) {
                    if (!in.isReadable()) {
                        return null;
                    }
                    type = in.getByte(in.readerIndex()) == '*' ? RequestType.MULTIBULK : RequestType.INLINE;
                }
                boolean complete = type == RequestType.INLINE ? readInline(in) : readMultibulk(in);
                if (!complete) {
                    return null;
                }
                type = RequestType.UNKNOWN;
                RespCommand command = finished;
                finished = null;
                if (command != null) {
                    return command;
                }
                // A request without arguments: skipped, and the next one read.
            }
        } catch (RespProtocolException e) {
            failure = e;
            throw e;
        }
    }

    /**
     * Closes the client, as Redis does, if the bytes it holds pass the query buffer limit: the
     * {@code unparsedBytes} the caller buffers plus the part of a long argument this parser has
     * received. Call it after each read from the client, before {@link #parse}.
     *
     * @throws RespProtocolException without an error reply when the limit is passed
     */
    public void checkQueryBuffer(long unparsedBytes) {
        if (failure != null) {
            throw failure;
        }
        long held = unparsedBytes + bigArgumentFilled;
        if (held > limits.queryBufferLimitBytes()) {
            failure = RespProtocolException.withoutReply("client query buffer holds " + held
                    + " bytes, past the limit of " + limits.queryBufferLimitBytes()
                    + " bytes; closing the connection without a reply");
            throw failure;
        }
    }

    /**
     * The bytes this parser holds for an unfinished command: the arguments read so far plus the
     * capacity of the array receiving a long argument (not the caller's buffer).
     */
    public long heldBytes() {
        return argumentBytes + (bigArgument == null ? 0 : bigArgument.length);
    }

    private boolean readInline(ByteBuf in) {
        int start = in.readerIndex();
        int newline = indexBeforeNul(in, FIND_LF_BEFORE_NUL, (byte) '\n');
        if (newline < 0) {
            if (in.readableBytes() > INLINE_MAX_BYTES) {
                throw RespProtocolException.withReply("ERR Protocol error: too big inline request");
            }
            return false;
        }
        int end = newline;
        if (end != start && in.getByte(end - 1) == '\r') {
            end--;
        }
        byte[] line = new byte[end - start];
        in.getBytes(start, line);
        byte[][] split = InlineArguments.split(line);
        if (split == null) {
            throw RespProtocolException.withReply("ERR Protocol error: unbalanced quotes in request");
        }
        in.readerIndex(newline + 1);
        finished = split.length == 0 ? null : RespCommand.adopt(split);
        return true;
    }

    private boolean readMultibulk(ByteBuf in) {
        if (argumentsLeft == 0) {
            int start = in.readerIndex();
            int cr = indexBeforeNul(in, FIND_CR_BEFORE_NUL, (byte) '\r');
            if (cr < 0) {
                if (in.readableBytes() > INLINE_MAX_BYTES) {
                    throw RespProtocolException.withReply("ERR Protocol error: too big mbulk count string");
                }
                return false;
            }
            if (cr - start > in.readableBytes() - 2) {
                return false; // the byte after \r has not arrived
            }
            if (!parseNumber(in, start + 1, cr) || parsedNumber > Integer.MAX_VALUE) {
                throw RespProtocolException.withReply("ERR Protocol error: invalid multibulk length");
            }
            if (parsedNumber > UNAUTHENTICATED_MAX_ARGUMENTS && !authenticated) {
                throw RespProtocolException.withReply("ERR Protocol error: unauthenticated multibulk length");
            }
            in.readerIndex(cr + 2);
            if (parsedNumber <= 0) {
                finished = null;
                return true;
            }
            argumentsLeft = parsedNumber;
            arguments = new byte[(int) Math.min(parsedNumber, INITIAL_ARGUMENTS_CEILING)][];
            argumentCount = 0;
            argumentBytes = 0;
        }
        while (argumentsLeft > 0) {
            if (bulkLength == -1 && !readBulkHeader(in)) {
                return false;
            }
            if (!readBulkBody(in)) {
                return false;
            }
        }
        finished = RespCommand.adopt(argumentCount == arguments.length ? arguments
                : Arrays.copyOf(arguments, argumentCount));
        arguments = null;
        argumentBytes = 0;
        return true;
    }

    private boolean readBulkHeader(ByteBuf in) {
        int start = in.readerIndex();
        int cr = indexBeforeNul(in, FIND_CR_BEFORE_NUL, (byte) '\r');
        if (cr < 0) {
            if (in.readableBytes() > INLINE_MAX_BYTES) {
                throw RespProtocolException.withReply("ERR Protocol error: too big bulk count string");
            }
            return false;
        }
        if (cr - start > in.readableBytes() - 2) {
            return false;
        }
        byte first = in.getByte(start);
        if (first != '$') {
            // Redis formats this reply with addReplyErrorFormat, which turns CR and LF into spaces.
            byte shown = first == '\r' || first == '\n' ? (byte) ' ' : first;
            byte[] prefix = "ERR Protocol error: expected '$', got '".getBytes(StandardCharsets.US_ASCII);
            byte[] text = new byte[prefix.length + 2];
            System.arraycopy(prefix, 0, text, 0, prefix.length);
            text[prefix.length] = shown;
            text[prefix.length + 1] = '\'';
            throw RespProtocolException.withReply(text);
        }
        if (!parseNumber(in, start + 1, cr) || parsedNumber < 0 || parsedNumber > limits.maxBulkBytes()) {
            throw RespProtocolException.withReply("ERR Protocol error: invalid bulk length");
        }
        if (parsedNumber > UNAUTHENTICATED_MAX_BULK_BYTES && !authenticated) {
            throw RespProtocolException.withReply("ERR Protocol error: unauthenticated bulk length");
        }
        in.readerIndex(cr + 2);
        bulkLength = parsedNumber;
        return true;
    }

    private boolean readBulkBody(ByteBuf in) {
        int length = (int) bulkLength;
        if (bigArgument == null) {
            if (in.readableBytes() >= (long) length + 2) {
                byte[] argument = length == 0 ? EMPTY : new byte[length];
                in.readBytes(argument);
                in.skipBytes(2); // Redis skips the two bytes after the body without looking at them
                addArgument(argument);
                return true;
            }
            if (length < BIG_ARGUMENT_BYTES || !in.isReadable()) {
                return false;
            }
            bigArgument = new byte[Math.min(length, Math.max(in.readableBytes(), 2 * BIG_ARGUMENT_BYTES))];
            bigArgumentFilled = 0;
        }
        int take = Math.min(in.readableBytes(), length - bigArgumentFilled);
        if (take > 0) {
            int needed = bigArgumentFilled + take;
            if (needed > bigArgument.length) {
                // Doubling keeps the copying linear; the cap keeps the array at the declared length.
                int capacity = (int) Math.min(length, Math.max(needed, 2L * bigArgument.length));
                byte[] grown = new byte[capacity];
                System.arraycopy(bigArgument, 0, grown, 0, bigArgumentFilled);
                bigArgument = grown;
            }
            in.readBytes(bigArgument, bigArgumentFilled, take);
            bigArgumentFilled = needed;
        }
        if (bigArgumentFilled < length || in.readableBytes() < 2) {
            return false;
        }
        in.skipBytes(2);
        assert bigArgument.length == length : bigArgument.length + " != " + length;
        byte[] argument = bigArgument;
        bigArgument = null;
        bigArgumentFilled = 0;
        addArgument(argument);
        return true;
    }

    private void addArgument(byte[] argument) {
        if (argumentCount == arguments.length) {
            arguments = Arrays.copyOf(arguments, 2 * argumentCount);
        }
        arguments[argumentCount++] = argument;
        argumentBytes += argument.length;
        argumentsLeft--;
        bulkLength = -1;
    }

    /** The index of {@code target} in {@code in}'s readable bytes, or -1 if absent or after a NUL. */
    private static int indexBeforeNul(ByteBuf in, ByteProcessor finder, byte target) {
        int index = in.forEachByte(finder);
        return index >= 0 && in.getByte(index) == target ? index : -1;
    }

    /**
     * Redis's string2ll over bytes {@code [from, to)}: sets {@link #parsedNumber} and returns true
     * for "0" and for an optional '-' then a digit 1-9 then digits, within a long, shorter than
     * 21 characters; returns false for anything else.
     */
    private boolean parseNumber(ByteBuf in, int from, int to) {
        int length = to - from;
        if (length <= 0 || length >= LONG_STRING_SIZE) {
            return false;
        }
        if (length == 1 && in.getByte(from) == '0') {
            parsedNumber = 0;
            return true;
        }
        int i = from;
        boolean negative = in.getByte(i) == '-';
        if (negative && ++i == to) {
            return false;
        }
        int digit = in.getByte(i) - '0';
        if (digit < 1 || digit > 9) {
            return false;
        }
        long value = digit; // unsigned, as Redis accumulates in an unsigned long long
        for (i++; i < to; i++) {
            digit = in.getByte(i) - '0';
            if (digit < 0 || digit > 9) {
                return false;
            }
            if (Long.compareUnsigned(value, Long.divideUnsigned(-1L, 10)) > 0) {
                return false;
            }
            value *= 10;
            if (Long.compareUnsigned(value, -1L - digit) > 0) {
                return false;
            }
            value += digit;
        }
        if (negative) {
            if (Long.compareUnsigned(value, Long.MIN_VALUE) > 0) {
                return false;
            }
            parsedNumber = -value;
        } else {
            if (value < 0) {
                return false;
            }
            parsedNumber = value;
        }
        return true;
    }
}
