package dev.cairn.server.redis;

import dev.cairn.dictionary.BinaryKeys;
import dev.cairn.dictionary.command.CDoubleFormat;
import dev.cairn.dictionary.command.Reply;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes replies in RESP, for a client speaking protocol 2 or 3, byte for byte as Redis 7.0's
 * networking.c writes them (its {@code addReply*} functions), into a growable buffer.
 *
 * <table>
 *   <caption>Encodings</caption>
 *   <tr><th>method</th><th>RESP3</th><th>RESP2</th></tr>
 *   <tr><td>{@link #writeSimpleString}</td><td colspan="2">{@code +text\r\n} (CR and LF in the text become spaces)</td></tr>
 *   <tr><td>{@link #writeError(String)}</td><td colspan="2">{@code -CODE message\r\n}, the code given by the caller (CR and LF become spaces)</td></tr>
 *   <tr><td>{@link #writeInteger}</td><td colspan="2">{@code :n\r\n}</td></tr>
 *   <tr><td>{@link #writeBulk(byte[])}</td><td colspan="2">{@code $len\r\nbytes\r\n}</td></tr>
 *   <tr><td>{@link #writeNullBulk}</td><td>{@code _\r\n}</td><td>{@code $-1\r\n}</td></tr>
 *   <tr><td>{@link #writeNullArray}</td><td>{@code _\r\n}</td><td>{@code *-1\r\n}</td></tr>
 *   <tr><td>{@link #writeArrayLength}</td><td colspan="2">{@code *n\r\n}</td></tr>
 *   <tr><td>{@link #writeMapLength} (n pairs)</td><td>{@code %n\r\n}</td><td>{@code *2n\r\n}</td></tr>
 *   <tr><td>{@link #writeSetLength}</td><td>{@code ~n\r\n}</td><td>{@code *n\r\n}</td></tr>
 *   <tr><td>{@link #writePushLength}</td><td>{@code >n\r\n}</td><td>{@code *n\r\n}</td></tr>
 *   <tr><td>{@link #writeDouble}</td><td>{@code ,%.17g\r\n}; {@code ,inf}, {@code ,-inf}, {@code ,nan}</td>
 *       <td>a bulk string of {@code %.17g}; {@code inf}, {@code -inf}, {@code nan}</td></tr>
 *   <tr><td>{@link #writeBoolean}</td><td>{@code #t\r\n}, {@code #f\r\n}</td><td>{@code :1\r\n}, {@code :0\r\n}</td></tr>
 *   <tr><td>{@link #writeBigNumber}</td><td>{@code (digits\r\n}</td><td>a bulk string of the digits</td></tr>
 *   <tr><td>{@link #writeVerbatim}</td><td>{@code =len+4\r\nfmt:text\r\n}</td><td>a bulk string of the text</td></tr>
 * </table>
 *
 * <p>{@code %.17g} is C's printf format, which Redis 7.0 uses for doubles (see {@link CDoubleFormat}):
 * 0.1 is written {@code 0.10000000000000001}.
 *
 * <p>An aggregate whose length is not known up front (Redis's {@code addReplyDeferredLen}) starts
 * with {@link #deferLength()}; its elements are written, then one of {@link #setArrayLength},
 * {@link #setMapLength}, {@link #setSetLength} or {@link #setPushLength} inserts the header where
 * the handle was taken. Deferred lengths nest; the reply is readable ({@link #toByteArray()},
 * {@link #toByteBuffer()}) only when every one is set.
 *
 * <p>Invariant: the positions of the unset deferred lengths never decrease in the order they were
 * taken. Not thread-safe: one writer per connection.
 */
final class RespWriter implements Reply {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final int INITIAL_CAPACITY = 256;
    private static final int RETAINED_CAPACITY = 64 * 1024;

    private byte[] buffer = new byte[INITIAL_CAPACITY];
    private int size;
    private int protocol;
    private final List<DeferredLength> deferred = new ArrayList<>();

    /** A place in a reply where an aggregate's header goes once its length is known. */
    public static final class DeferredLength {
        private final RespWriter owner;
        private int position;

        private DeferredLength(RespWriter owner, int position) {
            this.owner = owner;
            this.position = position;
        }
    }

    /** A writer for a client speaking {@code protocol} (2 or 3). */
    public RespWriter(int protocol) {
        setProtocol(protocol);
    }

    /** The protocol version replies are encoded for: 2 or 3. */
    public int protocol() {
        return protocol;
    }

    /** Encodes the replies written from now on for {@code protocol} (2 or 3), as HELLO switches it. */
    public void setProtocol(int protocol) {
        if (protocol != 2 && protocol != 3) {
            throw new IllegalArgumentException("RESP protocol must be 2 or 3, got " + protocol);
        }
        this.protocol = protocol;
    }

    /** {@code +text\r\n}; CR and LF in {@code text} become spaces, as Redis writes them. */
    public void writeSimpleString(String text) {
        writeLine('+', text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@code -text\r\n}, where {@code text} starts with the error code ("ERR", "WRONGTYPE", ...),
     * kept as given; CR and LF become spaces.
     */
    public void writeError(String text) {
        // Errors may quote a client's bytes (an unknown command's name): BinaryKeys gives them back.
        writeError(BinaryKeys.toBytes(text));
    }

    /** {@code -text\r\n} for an error text given as bytes (see {@link #writeError(String)}). */
    public void writeError(byte[] text) {
        if (text.length == 0) {
            throw new IllegalArgumentException("an error reply needs a text starting with its code, got none");
        }
        writeLine('-', text);
    }

    /** {@code :value\r\n}. */
    public void writeInteger(long value) {
        writeHeader(':', value);
    }

    /** {@code $len\r\nbytes\r\n}, binary-safe. */
    public void writeBulk(byte[] bytes) {
        writeBulk(bytes, 0, bytes.length);
    }

    /** A bulk string of {@code length} bytes of {@code bytes} from {@code offset}. */
    public void writeBulk(byte[] bytes, int offset, int length) {
        if (offset < 0 || length < 0 || offset > bytes.length - length) {
            throw new IndexOutOfBoundsException("range [" + offset + ", " + offset + " + " + length
                    + ") outside an array of " + bytes.length + " bytes");
        }
        writeHeader('$', length);
        append(bytes, offset, length);
        append(CRLF, 0, 2);
    }

    /** A bulk string of the UTF-8 encoding of {@code text}. */
    public void writeBulk(String text) {
        writeBulk(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The null reply for a missing value (Redis's addReplyNull): RESP3 {@code _}, RESP2 {@code $-1}. */
    public void writeNullBulk() {
        if (protocol == 2) {
            appendAscii("$-1\r\n");
        } else {
            appendAscii("_\r\n");
        }
    }

    /** The null reply for a missing aggregate (addReplyNullArray): RESP3 {@code _}, RESP2 {@code *-1}. */
    public void writeNullArray() {
        if (protocol == 2) {
            appendAscii("*-1\r\n");
        } else {
            appendAscii("_\r\n");
        }
    }

    /** The header of an array of {@code length} elements. */
    public void writeArrayLength(long length) {
        append(aggregateHeader('*', length));
    }

    /** The header of a map of {@code pairs} key-value pairs: RESP2 gets a flat array of 2 × pairs. */
    public void writeMapLength(long pairs) {
        append(aggregateHeader('%', pairs));
    }

    /** The header of a set of {@code length} elements: RESP2 gets an array. */
    public void writeSetLength(long length) {
        append(aggregateHeader('~', length));
    }

    /** The header of an out-of-band push of {@code length} elements: RESP2 gets an array. */
    public void writePushLength(long length) {
        append(aggregateHeader('>', length));
    }

    /** A double: RESP3 {@code ,%.17g}, RESP2 a bulk string of it; infinities and NaN by name. */
    public void writeDouble(double value) {
        String text = CDoubleFormat.percent17g(value);
        if (protocol == 2) {
            writeBulk(text.getBytes(StandardCharsets.US_ASCII));
        } else {
            writeLine(',', text.getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** A boolean: RESP3 {@code #t}/{@code #f}, RESP2 the integer 1 or 0. */
    public void writeBoolean(boolean value) {
        if (protocol == 2) {
            appendAscii(value ? ":1\r\n" : ":0\r\n");
        } else {
            appendAscii(value ? "#t\r\n" : "#f\r\n");
        }
    }

    /**
     * A big number, given as its decimal digits with an optional leading '-': RESP3 {@code (digits},
     * RESP2 a bulk string of the digits.
     */
    public void writeBigNumber(String digits) {
        int start = digits.startsWith("-") ? 1 : 0;
        boolean valid = digits.length() > start;
        for (int i = start; i < digits.length() && valid; i++) {
            valid = digits.charAt(i) >= '0' && digits.charAt(i) <= '9';
        }
        if (!valid) {
            throw new IllegalArgumentException("a big number is an optional '-' then decimal digits, got \""
                    + digits + "\"");
        }
        byte[] bytes = digits.getBytes(StandardCharsets.US_ASCII);
        if (protocol == 2) {
            writeBulk(bytes);
        } else {
            writeLine('(', bytes);
        }
    }

    /**
     * A verbatim string of {@code text} in {@code format} ("txt" for plain text, "mkd" for markdown):
     * RESP3 {@code =<len+4>\r\nfmt:text\r\n}, a format shorter than 3 characters padded with spaces
     * as Redis pads it; RESP2 a bulk string of the text.
     */
    public void writeVerbatim(String format, byte[] text) {
        if (format.length() > 3 || !format.chars().allMatch(c -> c > 0x20 && c < 0x7F && c != ':')) {
            throw new IllegalArgumentException("a verbatim format is up to 3 printable ASCII characters"
                    + " other than ':', got \"" + format + "\"");
        }
        if (protocol == 2) {
            writeBulk(text);
            return;
        }
        writeHeader('=', (long) text.length + 4);
        for (int i = 0; i < 3; i++) {
            appendByte(i < format.length() ? format.charAt(i) : ' ');
        }
        appendByte(':');
        append(text, 0, text.length);
        append(CRLF, 0, 2);
    }

    /** A verbatim string of the UTF-8 encoding of {@code text} (see {@link #writeVerbatim(String, byte[])}). */
    public void writeVerbatim(String format, String text) {
        writeVerbatim(format, text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code command} as a client sends it: an array of bulk strings (a multibulk request). */
    public void writeCommand(RespCommand command) {
        writeHeader('*', command.size());
        for (int i = 0; i < command.size(); i++) {
            writeBulk(command.rawArgument(i));
        }
    }

    /** Marks the place of an aggregate header whose length is set later, by one of the set methods. */
    public DeferredLength deferLength() {
        DeferredLength handle = new DeferredLength(this, size);
        deferred.add(handle);
        return handle;
    }

    /** Sets a deferred length to an array's header (see {@link #writeArrayLength}). */
    public void setArrayLength(DeferredLength handle, long length) {
        insert(handle, aggregateHeader('*', length));
    }

    /** Sets a deferred length to a map's header (see {@link #writeMapLength}). */
    public void setMapLength(DeferredLength handle, long pairs) {
        insert(handle, aggregateHeader('%', pairs));
    }

    /** Sets a deferred length to a set's header (see {@link #writeSetLength}). */
    public void setSetLength(DeferredLength handle, long length) {
        insert(handle, aggregateHeader('~', length));
    }

    /** Sets a deferred length to a push's header (see {@link #writePushLength}). */
    public void setPushLength(DeferredLength handle, long length) {
        insert(handle, aggregateHeader('>', length));
    }

    /** The bytes written so far (deferred lengths not yet set take no room). */
    public int size() {
        return size;
    }

    /**
     * A copy of the encoded replies.
     *
     * @throws IllegalStateException if a deferred length is not set
     */
    public byte[] toByteArray() {
        requireNoDeferred();
        return Arrays.copyOf(buffer, size);
    }

    /**
     * A read-only view of the encoded replies, valid until the next write or {@link #clear()}.
     *
     * @throws IllegalStateException if a deferred length is not set
     */
    public ByteBuffer toByteBuffer() {
        requireNoDeferred();
        return ByteBuffer.wrap(buffer, 0, size).asReadOnlyBuffer();
    }

    /**
     * Copies what was written into {@code target} (which must have room), without a view object.
     *
     * @throws IllegalStateException if a deferred length is not set
     */
    public void copyTo(io.netty.buffer.ByteBuf target) {
        requireNoDeferred();
        target.writeBytes(buffer, 0, size);
    }

    /**
     * Forgets what was written after {@code mark}, a {@link #size()} taken earlier: the replies of
     * commands whose client asked not to get them (CLIENT REPLY OFF, SKIP).
     *
     * @throws IllegalArgumentException if {@code mark} is not between 0 and the size
     * @throws IllegalStateException if a deferred length is not set
     */
    public void truncate(int mark) {
        if (mark < 0 || mark > size) {
            throw new IllegalArgumentException("mark " + mark + " is outside the " + size + " bytes written");
        }
        requireNoDeferred();
        size = mark;
    }

    /** Forgets everything written, unset deferred lengths included; keeps the protocol. */
    public void clear() {
        size = 0;
        deferred.clear();
        if (buffer.length > RETAINED_CAPACITY) {
            // An idle connection keeps a small buffer, whatever its largest reply was.
            buffer = new byte[INITIAL_CAPACITY];
        }
    }

    private void requireNoDeferred() {
        if (!deferred.isEmpty()) {
            throw new IllegalStateException(deferred.size() + " deferred length(s) not set yet");
        }
    }

    private byte[] aggregateHeader(char type, long length) {
        if (length < 0) {
            throw new IllegalArgumentException("an aggregate length must be >= 0, got " + length);
        }
        if (protocol == 2) {
            if (type == '%') {
                if (length > Long.MAX_VALUE / 2) {
                    throw new IllegalArgumentException("a map of " + length + " pairs is too long");
                }
                length *= 2;
            }
            type = '*';
        }
        return (type + Long.toString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private void insert(DeferredLength handle, byte[] header) {
        int index = deferred.indexOf(handle);
        if (handle.owner != this || index < 0) {
            throw new IllegalStateException("this deferred length is already set, or was cleared,"
                    + " or belongs to another writer");
        }
        deferred.remove(index);
        int at = handle.position;
        ensureCapacity(header.length);
        System.arraycopy(buffer, at, buffer, at + header.length, size - at);
        System.arraycopy(header, 0, buffer, at, header.length);
        size += header.length;
        // Handles taken later sit at or after this one: their bytes moved along.
        for (int i = index; i < deferred.size(); i++) {
            deferred.get(i).position += header.length;
        }
    }

    private void writeLine(char type, byte[] text) {
        ensureCapacity(text.length + 3);
        appendByte(type);
        for (byte b : text) {
            // A CR or LF would end the line early and let the rest be read as another reply.
            appendByte(b == '\r' || b == '\n' ? ' ' : b);
        }
        append(CRLF, 0, 2);
    }

    private void writeHeader(char type, long value) {
        appendByte(type);
        appendDecimal(value);
        append(CRLF, 0, 2);
    }

    /** {@code value} in decimal ASCII, written in place (a reply header is on every reply's path). */
    private void appendDecimal(long value) {
        if (value == Long.MIN_VALUE) {
            appendAscii(Long.toString(value)); // its magnitude has no positive long
            return;
        }
        ensureCapacity(20);
        if (value < 0) {
            buffer[size++] = '-';
            value = -value;
        }
        int digits = 1;
        for (long rest = value / 10; rest != 0; rest /= 10) {
            digits++;
        }
        for (int i = size + digits - 1; i >= size; i--) {
            buffer[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        size += digits;
    }

    private void appendAscii(String ascii) {
        ensureCapacity(ascii.length());
        for (int i = 0; i < ascii.length(); i++) {
            buffer[size++] = (byte) ascii.charAt(i);
        }
    }

    private void append(byte[] bytes) {
        append(bytes, 0, bytes.length);
    }

    private void append(byte[] bytes, int offset, int length) {
        ensureCapacity(length);
        System.arraycopy(bytes, offset, buffer, size, length);
        size += length;
    }

    private void appendByte(int b) {
        ensureCapacity(1);
        buffer[size++] = (byte) b;
    }

    private void ensureCapacity(int more) {
        long needed = (long) size + more;
        if (needed > buffer.length) {
            if (needed > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("a reply buffer of " + needed + " bytes is past the largest array");
            }
            buffer = Arrays.copyOf(buffer, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, 2L * buffer.length)));
        }
    }
}
