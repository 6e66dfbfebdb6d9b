package dev.cairn.cluster;

import java.nio.ByteBuffer;

/** Answers one request; only the first answer counts. */
@FunctionalInterface
public interface Responder {
    void respond(ByteBuffer response);
}
