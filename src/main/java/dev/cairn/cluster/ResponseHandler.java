package dev.cairn.cluster;

import java.nio.ByteBuffer;

/** Told the outcome of one request: exactly one of the two arguments is non-null. */
@FunctionalInterface
public interface ResponseHandler {
    void onResponse(ByteBuffer response, TransportException failure);
}
