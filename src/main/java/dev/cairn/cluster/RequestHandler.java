package dev.cairn.cluster;

import java.nio.ByteBuffer;

/** Serves the requests that reach one node. */
@FunctionalInterface
public interface RequestHandler {
    /**
     * Handles one request from node {@code from}; answers through {@code responder}, now or later,
     * from any thread. A request never answered times out at its sender.
     */
    void onRequest(int from, ByteBuffer request, Responder responder);
}
