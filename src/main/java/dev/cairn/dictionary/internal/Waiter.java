package dev.cairn.dictionary.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * A blocking command (BLPOP, BLMOVE, BZPOPMIN, ...) waiting for one of its keys, and the future
 * its caller holds. The waiter is queued on each of its keys in arrival order (see
 * {@link BlockedClients}); a command that makes one of them ready serves the queue's head by
 * running {@link Server#serve} on the waiter's behalf, under the command lock.
 *
 * <p>Life cycle: pending, then exactly one of served (with a result or the serving command's
 * error), timed out, withdrawn (cancelled by its holder) or failed by close. {@link #done} records
 * that end under the lock; the future is completed afterwards, outside the lock, so that no
 * callback runs while the lock is held. Between the two the waiter is done but its future is not:
 * a cancel then finds it done and returns false, and the result still arrives.
 *
 * <p>The public completion methods ({@link #cancel}, {@link #complete},
 * {@link #completeExceptionally}, and through them {@code orTimeout} and
 * {@code completeOnTimeout}) first withdraw the waiter under the lock and do nothing when it has
 * already been served, so that no served element is dropped by a caller giving up.
 *
 * <p>Fields other than the final ones are guarded by the command lock.
 */
final class Waiter<T> extends CompletableFuture<T> {

    /** Tries to serve a waiter from a key that became ready. */
    @FunctionalInterface
    interface Server<T> {
        /**
         * Runs the blocked command's effect on {@code key} if it can (the key holds data of the
         * right type), recording the write as usual, and returns its result; returns null to
         * leave the waiter waiting (no data, or a key of another type). An exception ends the
         * wait and fails the waiter's future; it must be thrown before any change.
         */
        T serve(String key);
    }

    private final BlockedClients owner;
    final List<String> keys;
    private final Server<T> server;
    /** Served, timed out, withdrawn or failed by close: no longer queued. */
    boolean done;
    private T result;
    private RuntimeException failure;
    /** The pending timeout task, or null when the waiter waits without a limit. */
    Future<?> timeout;

    Waiter(BlockedClients owner, List<String> keys, Server<T> server) {
        this.owner = owner;
        this.keys = keys;
        this.server = server;
    }

    /**
     * Serves the waiter from {@code key} if it can; returns whether it is served (with a result
     * or with the server's error). Called under the lock while the waiter is pending.
     */
    boolean tryServe(String key) {
        T served;
        try {
            served = server.serve(key);
        } catch (RuntimeException e) {
            // Delivered to the waiter, as Redis replies an error to a served client
            // (e.g. BLMOVE whose destination now holds another type).
            failure = e;
            done = true;
            return true;
        }
        if (served == null) {
            return false;
        }
        result = served;
        done = true;
        return true;
    }

    /** Completes the future with what serving gave; outside the lock. */
    void deliverServed() {
        if (failure != null) {
            super.completeExceptionally(failure);
        } else {
            super.complete(result);
        }
    }

    /** Completes the future as a timeout does: with null. Outside the lock. */
    void deliverTimeout() {
        super.complete(null);
    }

    /** Fails the future (close, or the served write could not be made durable). Outside the lock. */
    void deliverFailure(Throwable cause) {
        super.completeExceptionally(cause);
    }

    /** Withdraws the waiter, then cancels; false (and the result still comes) if it was already served. */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return owner.withdraw(this) && super.cancel(mayInterruptIfRunning);
    }

    /** Withdraws the waiter, then completes with {@code value}; false if it was already served. */
    @Override
    public boolean complete(T value) {
        return owner.withdraw(this) && super.complete(value);
    }

    /** Withdraws the waiter, then fails with {@code ex}; false if it was already served. */
    @Override
    public boolean completeExceptionally(Throwable ex) {
        return owner.withdraw(this) && super.completeExceptionally(ex);
    }
}
