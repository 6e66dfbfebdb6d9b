package dev.cairn.dictionary;

/**
 * RESTORE was given a payload it cannot load. Nothing was changed. Redis answers the same cases
 * with one of two errors, available as {@link #redisError()}:
 * <ul>
 *   <li>{@link Reason#VERSION_OR_CHECKSUM}: {@code ERR DUMP payload version or checksum are wrong}:
 *       shorter than its footer, written by a newer RDB version, or its CRC-64 does not match
 *       (a truncated or altered payload);</li>
 *   <li>{@link Reason#BAD_DATA_FORMAT}: {@code ERR Bad data format}: the checksum holds but the
 *       value inside cannot be read (an unknown or unsupported type, a length past the end, an
 *       empty collection, a duplicate member, a NaN score, a hash field that is not UTF-8).</li>
 * </ul>
 */
public class DumpPayloadException extends DictionaryException {
    private static final long serialVersionUID = 1L;

    /** Which of Redis's two errors the payload gets. */
    public enum Reason {
        /** The footer is missing, names a newer RDB version, or its checksum does not match. */
        VERSION_OR_CHECKSUM("ERR DUMP payload version or checksum are wrong"),
        /** The checksum matches but the serialized value cannot be read. */
        BAD_DATA_FORMAT("ERR Bad data format");

        private final String redisError;

        Reason(String redisError) {
            this.redisError = redisError;
        }

        /** Redis's error reply for this reason, exactly. */
        public String redisError() {
            return redisError;
        }
    }

    private final Reason reason;

    public DumpPayloadException(Reason reason, String detail) {
        super(reason.redisError() + ": " + detail);
        this.reason = reason;
    }

    /** Which error this is. */
    public Reason reason() {
        return reason;
    }

    /** The exact error reply Redis 7.0 gives for this payload, e.g. {@code ERR Bad data format}. */
    public String redisError() {
        return reason.redisError();
    }
}
