package dev.cairn.cluster;

/**
 * Settings of a {@link TcpTransport}.
 *
 * @param maxFrameBytes the largest frame accepted or sent, counted as in the length field (bytes
 *     after it); a peer that announces a larger one has its connection closed
 * @param connectTimeoutMs how long a connect, and each side's handshake, may take
 * @param initialBackoffMs after a failed connect, how long sends to that node fail at once before
 *     the next attempt; doubled after each failure up to {@code maxBackoffMs}, reset by a success
 * @param maxBackoffMs the longest wait between connect attempts
 * @param threadNamePrefix the start of every thread's name, so they can be told apart
 */
public record TcpTransportConfig(int maxFrameBytes, int connectTimeoutMs, long initialBackoffMs, long maxBackoffMs,
        String threadNamePrefix) {
    public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;

    public TcpTransportConfig {
        if (maxFrameBytes < TcpFrameFormat.HEADER_BYTES) {
            throw new IllegalArgumentException("maxFrameBytes must be at least the frame header's "
                    + TcpFrameFormat.HEADER_BYTES + " bytes, was " + maxFrameBytes);
        }
        if (connectTimeoutMs <= 0) {
            throw new IllegalArgumentException("connectTimeoutMs must be > 0, was " + connectTimeoutMs);
        }
        if (initialBackoffMs < 0 || maxBackoffMs < initialBackoffMs) {
            throw new IllegalArgumentException("backoff must satisfy 0 <= initial <= max, was initial "
                    + initialBackoffMs + " ms, max " + maxBackoffMs + " ms");
        }
        if (threadNamePrefix == null || threadNamePrefix.isBlank()) {
            throw new IllegalArgumentException("threadNamePrefix must not be blank");
        }
    }

    /** 64 MiB frames, 1 s to connect, backoff from 50 ms to 5 s, threads named {@code cairn-tcp-transport-...}. */
    public static TcpTransportConfig defaults() {
        return new TcpTransportConfig(DEFAULT_MAX_FRAME_BYTES, 1_000, 50, 5_000, "cairn-tcp-transport");
    }

    public TcpTransportConfig withMaxFrameBytes(int maxFrameBytes) {
        return new TcpTransportConfig(maxFrameBytes, connectTimeoutMs, initialBackoffMs, maxBackoffMs,
                threadNamePrefix);
    }

    public TcpTransportConfig withConnectTimeoutMs(int connectTimeoutMs) {
        return new TcpTransportConfig(maxFrameBytes, connectTimeoutMs, initialBackoffMs, maxBackoffMs,
                threadNamePrefix);
    }

    public TcpTransportConfig withBackoff(long initialBackoffMs, long maxBackoffMs) {
        return new TcpTransportConfig(maxFrameBytes, connectTimeoutMs, initialBackoffMs, maxBackoffMs,
                threadNamePrefix);
    }

    public TcpTransportConfig withThreadNamePrefix(String threadNamePrefix) {
        return new TcpTransportConfig(maxFrameBytes, connectTimeoutMs, initialBackoffMs, maxBackoffMs,
                threadNamePrefix);
    }
}
