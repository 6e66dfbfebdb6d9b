package dev.cairn.cluster;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A {@link Responder} that passes on a copy of the first answer only (the contract: only the
 * first answer counts) and ignores the rest. Thread-safe: the handler may answer from any thread.
 */
final class FirstAnswerResponder implements Responder {
    private final AtomicBoolean answered = new AtomicBoolean();
    private final Consumer<ByteBuffer> sendResponse;

    FirstAnswerResponder(Consumer<ByteBuffer> sendResponse) {
        this.sendResponse = sendResponse;
    }

    @Override
    public void respond(ByteBuffer response) {
        if (answered.compareAndSet(false, true)) {
            sendResponse.accept(Frames.copyOf(response));
        }
    }
}
