package dev.cairn.server.redis;

/**
 * The configurable limits of the request parser, Redis's settings of the same meaning.
 *
 * <ul>
 *   <li>{@code maxBulkBytes}: the largest argument a client may declare ({@code $<len>}), Redis's
 *       {@code proto-max-bulk-len}, 512 MiB by default. A larger declared length is refused with
 *       {@code ERR Protocol error: invalid bulk length}.</li>
 *   <li>{@code queryBufferLimitBytes}: the most bytes a client may have sent that are not yet part
 *       of a finished argument (unparsed input plus the part of a large argument received so
 *       far), Redis's {@code client-query-buffer-limit}, 1 GiB by default. Past it the client is
 *       closed without a reply.</li>
 * </ul>
 *
 * <p>Both are at least 1 MiB, Redis's own minimum for these settings; {@code maxBulkBytes} is at
 * most {@link #MAX_BULK_BYTES_CEILING}, the largest byte array the JVM allocates. Immutable.
 *
 * @param maxBulkBytes the largest declared argument length accepted
 * @param queryBufferLimitBytes the most unparsed bytes a client may hold before it is closed
 */
public record RespLimits(long maxBulkBytes, long queryBufferLimitBytes) {
    /** Redis's default {@code proto-max-bulk-len}: 512 MiB. */
    public static final long DEFAULT_MAX_BULK_BYTES = 512L * 1024 * 1024;
    /** Redis's default {@code client-query-buffer-limit}: 1 GiB. */
    public static final long DEFAULT_QUERY_BUFFER_LIMIT_BYTES = 1024L * 1024 * 1024;
    /** The smallest value of either limit, as Redis's configuration allows: 1 MiB. */
    public static final long MIN_LIMIT_BYTES = 1024L * 1024;
    /** The largest {@code maxBulkBytes}: an argument is one Java byte array. */
    public static final long MAX_BULK_BYTES_CEILING = Integer.MAX_VALUE - 8;

    /** Checks both limits. */
    public RespLimits {
        if (maxBulkBytes < MIN_LIMIT_BYTES || maxBulkBytes > MAX_BULK_BYTES_CEILING) {
            throw new IllegalArgumentException("maxBulkBytes must be in [" + MIN_LIMIT_BYTES + ", "
                    + MAX_BULK_BYTES_CEILING + "], got " + maxBulkBytes);
        }
        if (queryBufferLimitBytes < MIN_LIMIT_BYTES) {
            throw new IllegalArgumentException("queryBufferLimitBytes must be at least " + MIN_LIMIT_BYTES
                    + ", got " + queryBufferLimitBytes);
        }
    }

    /** Redis 7's defaults: 512 MiB arguments, a 1 GiB query buffer. */
    public static RespLimits defaults() {
        return new RespLimits(DEFAULT_MAX_BULK_BYTES, DEFAULT_QUERY_BUFFER_LIMIT_BYTES);
    }
}
