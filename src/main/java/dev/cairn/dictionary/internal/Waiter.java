package dev.cairn.dictionary.internal;

import java.util.List;
import java.util.concurrent.locks.Condition;

/**
 * A thread blocked in a blocking command (BLPOP, BLMOVE, BZPOPMIN, ...), queued on each of its
 * keys in arrival order. A command that makes one of the keys ready serves the queue's head by
 * running {@link Server#serve} on the waiter's behalf, under the lock, and signals it.
 *
 * <p>Fields are guarded by the command lock.
 */
final class Waiter {

    /** Tries to serve a waiter from a key that became ready. */
    @FunctionalInterface
    interface Server {
        /**
         * Runs the blocked command's effect on {@code key} if it can (the key holds data of the
         * right type), recording the write as usual, and returns its result; returns null to
         * leave the waiter waiting (no data, or a key of another type). An exception ends the
         * wait and is thrown to the waiter; it must be thrown before any change.
         */
        Object serve(String key);
    }

    final List<String> keys;
    final Condition condition;
    final Server server;
    Object result;
    RuntimeException failure;
    boolean done;

    Waiter(List<String> keys, Condition condition, Server server) {
        this.keys = keys;
        this.condition = condition;
        this.server = server;
    }
}
