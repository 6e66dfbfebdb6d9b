package dev.cairn.server.kafka;

import java.nio.ByteBuffer;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

/**
 * One parsed request: its API, version, header and body, read with kafka-clients' generated
 * message classes; and the encoding of its response the same way.
 *
 * @param api     the served API
 * @param version the request's API version
 * @param header  the request header (correlation id, client id)
 * @param body    the request body, or null for an ApiVersions request of a version not served
 */
record KafkaRequest(ServedApi api, short version, RequestHeaderData header, ApiMessage body) {

    /**
     * Parses a frame (the bytes after the size).
     *
     * @throws CloseConnectionException if the API is not served, the version is not served (but for
     *     ApiVersions, answered with its version 0 as Kafka does), or the bytes do not parse
     */
    static KafkaRequest parse(ByteBuffer frame) {
        short key = frame.getShort(frame.position());
        short version = frame.getShort(frame.position() + 2);
        ServedApi api = ServedApi.of(key);
        if (api == null) {
            throw new CloseConnectionException("API key " + key + " is not served");
        }
        try {
            ByteBufferAccessor in = new ByteBufferAccessor(frame);
            RequestHeaderData header = new RequestHeaderData(in, api.key.requestHeaderVersion(version));
            if (!api.supports(version)) {
                if (api == ServedApi.API_VERSIONS) {
                    return new KafkaRequest(api, version, header, null);
                }
                throw new CloseConnectionException(api.key + " version " + version + " is not served (versions "
                        + api.oldestVersion + " to " + api.latestVersion + ")");
            }
            ApiMessage body = api.key.messageType.newRequest();
            body.read(in, version);
            return new KafkaRequest(api, version, header, body);
        } catch (CloseConnectionException e) {
            throw e;
        } catch (RuntimeException e) {
            // The generated readers throw several kinds for bad bytes (underflow, negative lengths,
            // collections larger than the bytes left): all mean a request that cannot be served.
            throw new CloseConnectionException(api.key + " version " + version + " request does not parse: " + e, e);
        }
    }

    int correlationId() {
        return header.correlationId();
    }

    /** Encodes {@code response} as the answer to this request: size, response header, body. */
    ByteBuffer encodeResponse(ApiMessage response, short responseVersion) {
        short headerVersion = api.key.responseHeaderVersion(responseVersion);
        ResponseHeaderData responseHeader = new ResponseHeaderData().setCorrelationId(correlationId());
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = responseHeader.size(cache, headerVersion) + response.size(cache, responseVersion);
        ByteBuffer buffer = ByteBuffer.allocate(4 + size);
        buffer.putInt(size);
        ByteBufferAccessor out = new ByteBufferAccessor(buffer);
        responseHeader.write(out, cache, headerVersion);
        response.write(out, cache, responseVersion);
        buffer.flip();
        return buffer;
    }
}
