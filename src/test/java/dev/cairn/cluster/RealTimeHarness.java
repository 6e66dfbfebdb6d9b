package dev.cairn.cluster;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** The contract tests' harness for a transport on real threads: waits with a deadline, answers later on a thread of its own. */
final class RealTimeHarness implements TransportContractTest.Harness {
    static final long WAIT_MS = 20_000;

    private final Transport transport;
    private final ExecutorService laterThread = Executors.newSingleThreadExecutor(
            ThreadScheduler.daemonThreads("test-answers-later"));

    RealTimeHarness(Transport transport) {
        this.transport = transport;
    }

    @Override
    public Transport transport() {
        return transport;
    }

    @Override
    public <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("no outcome within " + WAIT_MS + " ms", e);
        }
    }

    @Override
    public void later(Runnable task) {
        laterThread.execute(task);
    }

    @Override
    public long shortTimeoutMs() {
        return 50;
    }

    @Override
    public void close() {
        transport.close();
        laterThread.shutdownNow();
    }

    static List<Thread> liveThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).toList();
    }

    /** Polls {@code condition} every millisecond until it holds, failing after {@link #WAIT_MS}. */
    static void awaitCondition(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }
}
