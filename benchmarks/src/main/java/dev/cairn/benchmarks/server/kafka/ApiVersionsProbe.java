package dev.cairn.benchmarks.server.kafka;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

/**
 * What "the listener is ready" means in the start-up benchmarks: a connection is accepted and an
 * ApiVersions request (version 3, the one kafka-clients 4.x sends first) is answered without
 * error. The same bytes go to Cairn's listener and to Kafka's broker.
 *
 * <p>Stateless; thread-safe.
 */
final class ApiVersionsProbe {
    private static final short VERSION = 3;
    private static final int CORRELATION_ID = 7;

    private ApiVersionsProbe() {
    }

    /** Connects, asks, checks the answer; returns the number of APIs the server listed. */
    static int probe(String host, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(30_000);
            socket.connect(new InetSocketAddress(host, port), 30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request());
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] body = new byte[in.readInt()];
            in.readFully(body);
            ByteBufferAccessor accessor = new ByteBufferAccessor(ByteBuffer.wrap(body));
            ResponseHeaderData header = new ResponseHeaderData(accessor,
                    ApiKeys.API_VERSIONS.responseHeaderVersion(VERSION));
            if (header.correlationId() != CORRELATION_ID) {
                throw new IOException("ApiVersions answered with correlation id " + header.correlationId()
                        + ", expected " + CORRELATION_ID);
            }
            ApiVersionsResponseData response = new ApiVersionsResponseData(accessor, VERSION);
            if (response.errorCode() != 0) {
                throw new IOException("ApiVersions answered with error code " + response.errorCode());
            }
            return response.apiKeys().size();
        }
    }

    private static byte[] request() {
        short headerVersion = ApiKeys.API_VERSIONS.requestHeaderVersion(VERSION);
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(ApiKeys.API_VERSIONS.id)
                .setRequestApiVersion(VERSION).setCorrelationId(CORRELATION_ID).setClientId("startup-probe");
        ApiVersionsRequestData body = new ApiVersionsRequestData().setClientSoftwareName("cairn-benchmarks")
                .setClientSoftwareVersion("1");
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = header.size(cache, headerVersion) + body.size(cache, VERSION);
        ByteBuffer buffer = ByteBuffer.allocate(4 + size);
        buffer.putInt(size);
        ByteBufferAccessor accessor = new ByteBufferAccessor(buffer);
        header.write(accessor, cache, headerVersion);
        body.write(accessor, cache, VERSION);
        return buffer.array();
    }
}
