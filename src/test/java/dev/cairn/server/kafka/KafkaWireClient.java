package dev.cairn.server.kafka;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

/** A bare Kafka protocol client over a socket, for requests a KafkaProducer would not send as wanted. */
final class KafkaWireClient implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int nextCorrelationId = 1;

    KafkaWireClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** The bytes of a request: size, header, body. */
    static byte[] frame(ApiKeys key, short version, int correlationId, ApiMessage body) {
        short headerVersion = key.requestHeaderVersion(version);
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(key.id).setRequestApiVersion(version)
                .setCorrelationId(correlationId).setClientId("wire-test");
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = header.size(cache, headerVersion) + body.size(cache, version);
        ByteBuffer buffer = ByteBuffer.allocate(4 + size);
        buffer.putInt(size);
        ByteBufferAccessor accessor = new ByteBufferAccessor(buffer);
        header.write(accessor, cache, headerVersion);
        body.write(accessor, cache, version);
        return buffer.array();
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends a request; returns its correlation id. */
    int send(ApiKeys key, short version, ApiMessage body) throws IOException {
        int id = nextCorrelationId++;
        sendRaw(frame(key, version, id, body));
        return id;
    }

    /** Reads one response of {@code key} in {@code version}, checking its correlation id. */
    ApiMessage receive(ApiKeys key, short version, int correlationId) throws IOException {
        int size = in.readInt();
        byte[] bytes = new byte[size];
        in.readFully(bytes);
        ByteBufferAccessor accessor = new ByteBufferAccessor(ByteBuffer.wrap(bytes));
        ResponseHeaderData header = new ResponseHeaderData(accessor, key.responseHeaderVersion(version));
        if (header.correlationId() != correlationId) {
            throw new IllegalStateException("correlation id " + header.correlationId() + ", expected " + correlationId);
        }
        ApiMessage body = key.messageType.newResponse();
        body.read(accessor, version);
        return body;
    }

    <T extends ApiMessage> T call(ApiKeys key, short version, ApiMessage body, Class<T> type) throws IOException {
        return type.cast(receive(key, version, send(key, version, body)));
    }

    /** True once the server has closed the connection (reads end of stream). */
    boolean closedByServer() throws IOException {
        try {
            while (in.read() >= 0) {
                // Drain whatever was sent before the close.
            }
            return true;
        } catch (EOFException e) {
            return true;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
