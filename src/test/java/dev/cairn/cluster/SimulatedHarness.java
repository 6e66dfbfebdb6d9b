package dev.cairn.cluster;

import java.util.concurrent.CompletableFuture;

/** The contract tests' harness for a {@link SimulatedNetwork}: waiting is running the simulation. */
final class SimulatedHarness implements TransportContractTest.Harness {
    final SimulatedScheduler scheduler = new SimulatedScheduler();
    final SimulatedNetwork network;

    SimulatedHarness(long seed, SimulatedNetwork.Conditions conditions) {
        this.network = new SimulatedNetwork(scheduler, seed, conditions);
    }

    @Override
    public Transport transport() {
        return network;
    }

    @Override
    public <T> T await(CompletableFuture<T> future) {
        while (!future.isDone()) {
            if (!scheduler.step()) {
                throw new AssertionError("the simulation went idle at " + scheduler.nowMs() + " ms before the outcome;"
                        + " log:\n" + String.join("\n", network.deliveryLog()));
            }
        }
        return future.join();
    }

    @Override
    public void later(Runnable task) {
        scheduler.schedule(5, task);
    }

    @Override
    public long shortTimeoutMs() {
        return 100;
    }

    @Override
    public void close() {
        network.close();
        scheduler.runUntilIdle();
    }
}
