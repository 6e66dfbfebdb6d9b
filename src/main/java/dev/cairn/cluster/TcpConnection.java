package dev.cairn.cluster;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One socket of a {@link TcpTransport} after its handshake ({@link TcpFrameFormat}): frames are
 * written by whichever thread calls {@link #write} (one at a time) and read by one thread running
 * {@link #readFrames}. Each connection carries one kind of frame each way: the connecting node
 * reads only responses, the accepting node only requests.
 *
 * <p>A frame that breaks the format, or a length above the maximum, closes this connection (and
 * only it) with a WARN line naming the peer. {@link #close()} is idempotent; whatever closes the
 * connection, the listener's {@code onClosed} runs once, from the reading thread. Thread-safe.
 */
final class TcpConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TcpConnection.class);

    /** What a connection's reading thread reports. */
    interface Listener {
        /** A well-formed frame of the kind this side reads; {@code payload} is this frame's own buffer. */
        void onFrame(TcpConnection connection, long requestId, ByteBuffer payload);

        /** The connection is closed and will read nothing more; {@code reason} says why. */
        void onClosed(TcpConnection connection, String reason);
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final int localNodeId;
    private final int peerNodeId;
    private final int maxFrameBytes;
    private final AtomicBoolean closed = new AtomicBoolean();

    private TcpConnection(Socket socket, DataInputStream in, int localNodeId, int peerNodeId, int maxFrameBytes)
            throws IOException {
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
        this.localNodeId = localNodeId;
        this.peerNodeId = peerNodeId;
        this.maxFrameBytes = maxFrameBytes;
    }

    /**
     * Connects to {@code peer} as {@code localNodeId} and exchanges handshakes.
     *
     * @throws IOException if the peer cannot be reached or answers with a bad handshake (the socket is then closed)
     */
    static TcpConnection connect(NodeAddress peer, int localNodeId, TcpTransportConfig config) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(peer.socketAddress(), config.connectTimeoutMs());
            socket.setSoTimeout(config.connectTimeoutMs());
            writeFully(socket.getOutputStream(), TcpFrameFormat.handshake(localNodeId, peer.nodeId()));
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            int sender = readHandshake(in, localNodeId, peer.toString());
            if (sender != peer.nodeId()) {
                throw new IOException(peer + " answered as node " + sender);
            }
            socket.setSoTimeout(0);
            return new TcpConnection(socket, in, localNodeId, peer.nodeId(), config.maxFrameBytes());
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    /**
     * Reads the handshake of a socket accepted by node {@code localNodeId} and answers it.
     *
     * @throws IOException if the peer does not follow the handshake (the socket is then closed)
     */
    static TcpConnection accept(Socket socket, int localNodeId, TcpTransportConfig config) throws IOException {
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(config.connectTimeoutMs());
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            int peerNodeId = readHandshake(in, localNodeId, "the peer at " + socket.getRemoteSocketAddress());
            writeFully(socket.getOutputStream(), TcpFrameFormat.handshake(localNodeId, peerNodeId));
            socket.setSoTimeout(0);
            return new TcpConnection(socket, in, localNodeId, peerNodeId, config.maxFrameBytes());
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    /** Reads and checks a handshake addressed to {@code localNodeId}; returns the sender's node id. */
    private static int readHandshake(DataInputStream in, int localNodeId, String peer) throws IOException {
        byte[] handshake = new byte[TcpFrameFormat.HANDSHAKE_BYTES];
        try {
            in.readFully(handshake);
        } catch (SocketTimeoutException e) {
            throw new IOException(peer + " sent no handshake in time", e);
        }
        ByteBuffer fields = ByteBuffer.wrap(handshake);
        int magic = fields.getInt(TcpFrameFormat.HANDSHAKE_MAGIC_OFFSET);
        if (magic != TcpFrameFormat.MAGIC) {
            throw new IOException(peer + " is not a Cairn transport peer: handshake magic 0x" + Integer.toHexString(magic)
                    + ", expected 0x" + Integer.toHexString(TcpFrameFormat.MAGIC));
        }
        short version = fields.getShort(TcpFrameFormat.HANDSHAKE_VERSION_OFFSET);
        if (version != TcpFrameFormat.VERSION) {
            throw new IOException(peer + " speaks transport version " + version + ", this node "
                    + TcpFrameFormat.VERSION);
        }
        int receiver = fields.getInt(TcpFrameFormat.HANDSHAKE_RECEIVER_OFFSET);
        if (receiver != localNodeId) {
            throw new IOException(peer + " expected node " + receiver + " but reached node " + localNodeId);
        }
        return fields.getInt(TcpFrameFormat.HANDSHAKE_SENDER_OFFSET);
    }

    int peerNodeId() {
        return peerNodeId;
    }

    /**
     * Reads frames of {@code kind} and hands them to {@code listener} until the connection closes
     * or breaks the format; then closes it and tells the listener. Run by one thread, the connection's reader.
     */
    void readFrames(byte kind, Listener listener) {
        String reason;
        try {
            while (true) {
                ByteBuffer frame = readFrame(kind);
                listener.onFrame(this, frame.getLong(TcpFrameFormat.REQUEST_ID_OFFSET),
                        frame.position(TcpFrameFormat.PAYLOAD_OFFSET).slice());
            }
        } catch (MalformedFrameException e) {
            reason = e.getMessage();
            LOG.warn("node {}: closing the connection with {}: {}", localNodeId, describePeer(), reason);
        } catch (EOFException e) {
            reason = describePeer() + " closed the connection";
        } catch (IOException e) {
            reason = closed.get() ? "connection closed" : "connection with " + describePeer() + " failed: " + e;
        }
        close();
        listener.onClosed(this, reason);
    }

    /** Reads one whole frame, checked against the format and the maximum length. */
    private ByteBuffer readFrame(byte expectedKind) throws IOException {
        int length = in.readInt();
        if (length > maxFrameBytes) {
            throw new MalformedFrameException("refused a frame of " + length + " bytes (maximum " + maxFrameBytes + ")");
        }
        if (length < TcpFrameFormat.HEADER_BYTES) {
            throw new MalformedFrameException("frame length " + length + " is below the header's "
                    + TcpFrameFormat.HEADER_BYTES + " bytes");
        }
        byte kind = in.readByte();
        if (kind != expectedKind) {
            throw new MalformedFrameException("got a " + TcpFrameFormat.kindName(kind) + " frame where only "
                    + TcpFrameFormat.kindName(expectedKind) + " frames may come");
        }
        byte[] frame = new byte[TcpFrameFormat.KIND_OFFSET + length];
        in.readFully(frame, TcpFrameFormat.REQUEST_ID_OFFSET, frame.length - TcpFrameFormat.REQUEST_ID_OFFSET);
        ByteBuffer fields = ByteBuffer.wrap(frame).putInt(TcpFrameFormat.LENGTH_OFFSET, length)
                .put(TcpFrameFormat.KIND_OFFSET, kind);
        int sender = fields.getInt(TcpFrameFormat.SENDER_OFFSET);
        if (sender != peerNodeId) {
            throw new MalformedFrameException("frame names node " + sender + " as its sender");
        }
        return fields;
    }

    /** Writes one whole frame (from {@link TcpFrameFormat#frame}). */
    void write(ByteBuffer frame) throws IOException {
        synchronized (out) {
            writeFully(out, frame);
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    private String describePeer() {
        return "node " + peerNodeId + " (" + socket.getRemoteSocketAddress() + ")";
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeQuietly(socket);
        }
    }

    @Override
    public String toString() {
        return "connection of node " + localNodeId + " with " + describePeer();
    }

    private static void writeFully(OutputStream out, ByteBuffer bytes) throws IOException {
        out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
        out.flush();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("closing {} failed", socket, e);
        }
    }

    /** Bytes from a peer that break the format: the connection is closed, nothing else. */
    private static final class MalformedFrameException extends IOException {
        private static final long serialVersionUID = 1L;

        MalformedFrameException(String message) {
            super(message);
        }
    }
}
