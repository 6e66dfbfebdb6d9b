package dev.cairn.server.redis;

import dev.cairn.dictionary.command.PendingReply;
import dev.cairn.dictionary.command.Reply;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A connection's blocking command (BLPOP, ...) that is waiting: its {@link PendingReply} and how
 * the wait was ended from outside. No thread waits for it: the dictionary completes the pending
 * reply's future, and the connection writes the reply on its event loop (see
 * {@link ClientConnection#block}).
 *
 * <p>The wait ends in one of four ways: served or timed out (the dictionary completes the future),
 * CLIENT UNBLOCK (cancels it and records whether to answer as a timeout or with Redis's
 * {@code UNBLOCKED} error), or the client's disconnect (cancels it; nobody is answered). A cancel
 * that comes after the dictionary served the waiter fails, and the served reply is written: a
 * popped element is never dropped by an unblock.
 *
 * <p>Thread-safe: {@link #unblock} and {@link #abandon} may be called from any thread;
 * {@link #writeReply} runs on the connection's event loop once the future is done.
 */
final class BlockedCommand {
    private static final int WAITING = 0;
    private static final int AS_TIMEOUT = 1;
    private static final int WITH_ERROR = 2;

    private final PendingReply<?> pending;
    /** How CLIENT UNBLOCK ended the wait: {@link #WAITING} if it did not. */
    private final AtomicInteger unblockedWith = new AtomicInteger(WAITING);

    /** CLIENT REPLY OFF or SKIP was in force for the command: its reply is dropped. */
    private final boolean silent;

    BlockedCommand(PendingReply<?> pending, boolean silent) {
        this.pending = pending;
        this.silent = silent;
    }

    PendingReply<?> pending() {
        return pending;
    }

    /**
     * CLIENT UNBLOCK: ends the wait as a timeout or with an error; false if it had already ended
     * (served, timed out, or unblocked by another CLIENT UNBLOCK).
     */
    boolean unblock(boolean withError) {
        if (pending.result().isDone() || !unblockedWith.compareAndSet(WAITING, withError ? WITH_ERROR : AS_TIMEOUT)) {
            return false;
        }
        return pending.cancel();
    }

    /** The client disconnected: withdraws the waiter so that nothing is popped for it. */
    void abandon() {
        pending.cancel();
    }

    /** Writes the reply once the wait has ended: the command's own, or the one CLIENT UNBLOCK chose. */
    void writeReply(Reply out) {
        if (silent) {
            return;
        }
        if (!pending.result().isCancelled()) {
            pending.writeTo(out);
        } else if (unblockedWith.get() == WITH_ERROR) {
            out.writeError("UNBLOCKED client unblocked via CLIENT UNBLOCK");
        } else if (unblockedWith.get() == AS_TIMEOUT) {
            pending.writeTimeout(out);
        }
        // Otherwise the disconnect cancelled it: there is nobody to answer.
    }
}
