package dev.cairn.dictionary.command;

import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;

/**
 * The reply of a blocking command that is waiting: the dictionary's future of its result and
 * how to write the reply of a result. A blocking command's handler makes one when its command
 * did not answer at once and hands it to a session that {@linkplain Session#canBlock can block};
 * the session writes the reply when the future completes, or ends the wait itself with
 * {@link #cancel} (disconnect, CLIENT UNBLOCK).
 *
 * <p>Immutable; thread-safe (the future completes in the dictionary's threads).
 *
 * @param <T> the result: null stands for a timeout
 */
public final class PendingReply<T> {
    private final String command;
    private final CompletableFuture<T> result;
    private final BiConsumer<T, Reply> writer;

    private PendingReply(String command, CompletableFuture<T> result, BiConsumer<T, Reply> writer) {
        this.command = command;
        this.result = result;
        this.writer = writer;
    }

    /**
     * Answers a blocking command: at once if its future is done or the session cannot block (the
     * calling thread then waits, as inside replay), else by handing the pending reply to the
     * session. {@code writer} writes the reply of a result, null meaning a timeout.
     */
    static <T> void answer(Session session, Arguments args, Reply reply, CompletableFuture<T> result,
            BiConsumer<T, Reply> writer) {
        if (result.isDone() || !session.canBlock()) {
            writer.accept(await(args, result), reply);
            return;
        }
        session.block(new PendingReply<>(args.name().toLowerCase(Locale.ROOT), result, writer));
    }

    private static <T> T await(Arguments args, CompletableFuture<T> result) {
        try {
            return result.get();
        } catch (InterruptedException e) {
            if (!result.cancel(false)) {
                // Served before the cancel: what was popped is answered, the interrupt kept.
                Thread.currentThread().interrupt();
                return joined(result);
            }
            Thread.currentThread().interrupt();
            throw new CommandException("ERR " + args.name().toLowerCase(Locale.ROOT)
                    + " was interrupted while waiting");
        } catch (ExecutionException e) {
            throw unwrapped(e.getCause());
        }
    }

    private static <T> T joined(CompletableFuture<T> result) {
        try {
            return result.join();
        } catch (CompletionException e) {
            throw unwrapped(e.getCause());
        }
    }

    private static RuntimeException unwrapped(Throwable cause) {
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IllegalStateException("blocking command failed", cause);
    }

    /** The command's name in lower case. */
    public String command() {
        return command;
    }

    /** The future of the result: null on timeout. Cancel it through {@link #cancel}. */
    public CompletableFuture<T> result() {
        return result;
    }

    /**
     * Ends the wait: withdraws the waiter. Returns false if the command was served (or ended)
     * already: its reply then still comes through {@link #result()}.
     */
    public boolean cancel() {
        return result.cancel(false);
    }

    /**
     * Writes the reply of the completed future: the result's, the timeout's (null result) or the
     * error of its failure. Must not be called for a cancelled future (the session that cancelled
     * chooses that reply, see {@link #writeTimeout}).
     */
    public void writeTo(Reply reply) {
        Objects.requireNonNull(reply, "reply");
        T value;
        try {
            value = result.join();
        } catch (CancellationException e) {
            throw new IllegalStateException("the wait of " + command + " was cancelled: no reply of its own", e);
        } catch (CompletionException e) {
            reply.writeError(ErrorReplies.of(unwrapped(e.getCause())));
            return;
        }
        writer.accept(value, reply);
    }

    /** Writes the reply the command gives when its timeout passes (CLIENT UNBLOCK ... TIMEOUT). */
    public void writeTimeout(Reply reply) {
        writer.accept(null, reply);
    }
}
