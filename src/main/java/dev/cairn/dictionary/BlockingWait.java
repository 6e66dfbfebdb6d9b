package dev.cairn.dictionary;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The synchronous blocking commands (BLPOP, BZPOPMIN, ...) as waits on their asynchronous forms:
 * the calling thread waits for the future; an interrupt cancels it, which withdraws the waiter
 * unless it was served already, in which case the served result is returned (nothing popped is
 * lost) and the thread's interrupt status is kept for the caller to see.
 *
 * <p>Stateless; thread-safe.
 */
final class BlockingWait {
    private BlockingWait() {
    }

    /**
     * Waits for {@code future}; its failure is rethrown as it is (a {@link DictionaryException},
     * {@link dev.cairn.common.ClosedException}, ...).
     *
     * @throws InterruptedException if interrupted before the waiter was served (nothing was popped)
     */
    static <T> T await(CompletableFuture<T> future) throws InterruptedException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            if (future.cancel(false)) {
                throw e;
            }
            // Served (or failed) before the cancel: the result is on its way and must not be dropped.
            try {
                T served = future.join();
                Thread.currentThread().interrupt();
                return served;
            } catch (CompletionException failure) {
                Thread.currentThread().interrupt();
                throw rethrown(failure.getCause());
            }
        } catch (ExecutionException e) {
            throw rethrown(e.getCause());
        } catch (CancellationException e) {
            // Only another holder of the future cancels it: to this caller that is an interrupt.
            throw new InterruptedException("the blocking command's future was cancelled");
        }
    }

    private static RuntimeException rethrown(Throwable cause) {
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IllegalStateException("blocking command failed", cause);
    }
}
