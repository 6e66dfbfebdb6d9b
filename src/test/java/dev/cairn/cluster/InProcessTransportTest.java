package dev.cairn.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InProcessTransportTest extends TransportContractTest {
    private static final String THREADS = "test-in-process";

    @Override
    Harness newHarness() {
        return new RealTimeHarness(new InProcessTransport(THREADS, 2));
    }

    @Test
    void closeLeavesNoThreadBehind() {
        Endpoint one = harness.transport().attach(1, echo(""));
        harness.transport().attach(2, echo(""));
        awaitOutcome(send(one, 2, "warm up the threads", 10_000));
        assertThat(RealTimeHarness.liveThreads(THREADS)).isNotEmpty();

        harness.transport().close();

        RealTimeHarness.awaitCondition("no " + THREADS + " thread is left",
                () -> RealTimeHarness.liveThreads(THREADS).isEmpty());
    }
}
