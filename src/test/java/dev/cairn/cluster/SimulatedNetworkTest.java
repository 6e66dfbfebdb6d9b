package dev.cairn.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class SimulatedNetworkTest extends TransportContractTest {
    private static final long SEED = 20261202L;
    private static final SimulatedNetwork.Conditions LOSSY_AND_DUPLICATING =
            new SimulatedNetwork.Conditions(1, 30, 0.2, 0.2);

    @Override
    Harness newHarness() {
        return new SimulatedHarness(SEED, SimulatedNetwork.Conditions.RELIABLE);
    }

    private SimulatedHarness simulation() {
        return (SimulatedHarness) harness;
    }

    private SimulatedNetwork network() {
        return simulation().network;
    }

    private SimulatedScheduler scheduler() {
        return simulation().scheduler;
    }

    @Test
    void theSameSeedGivesTheSameDeliveryLogAndAnotherSeedAnotherOne() {
        List<String> first = lossyRun(7);

        assertThat(first).anyMatch(line -> line.contains("dropped: random loss"))
                .anyMatch(line -> line.contains("copy 2 of 2")).anyMatch(line -> line.endsWith("delivered"));
        assertThat(lossyRun(7)).isEqualTo(first);
        assertThat(lossyRun(8)).isNotEqualTo(first);
    }

    /** Three nodes send 60 requests among themselves over a lossy, duplicating network; returns the log. */
    private List<String> lossyRun(long seed) {
        SimulatedScheduler scheduler = new SimulatedScheduler();
        SimulatedNetwork network = new SimulatedNetwork(scheduler, seed, LOSSY_AND_DUPLICATING);
        List<Endpoint> nodes = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            nodes.add(network.attach(id, echo("")));
        }
        Random traffic = new Random(seed);
        for (int i = 0; i < 60; i++) {
            Endpoint from = nodes.get(traffic.nextInt(3));
            int to = 1 + (from.nodeId() + traffic.nextInt(2)) % 3;
            from.send(to, bytes("request " + i), 200, (response, failure) -> { });
            scheduler.runFor(traffic.nextInt(5));
        }
        scheduler.runUntilIdle();
        return network.deliveryLog();
    }

    @Test
    void everyCallbackRunsOnceWhateverIsLostOrDuplicated() {
        int duplicatesHandled = 0;
        int failures = 0;
        for (long seed = 1; seed <= 20; seed++) {
            SimulatedScheduler scheduler = new SimulatedScheduler();
            SimulatedNetwork network = new SimulatedNetwork(scheduler, seed, LOSSY_AND_DUPLICATING);
            Set<String> handled = new HashSet<>();
            int[] duplicates = new int[1];
            network.attach(1, (from, request, responder) -> {
                if (!handled.add(text(request))) {
                    duplicates[0]++;
                }
                responder.respond(request);
            });
            Endpoint two = network.attach(2, echo(""));
            int[] callbacks = new int[50];
            int[] failed = new int[1];
            for (int i = 0; i < callbacks.length; i++) {
                int request = i;
                two.send(1, bytes("r" + i), 100, (response, failure) -> {
                    callbacks[request]++;
                    failed[0] += failure == null ? 0 : 1;
                });
            }
            scheduler.runUntilIdle();

            for (int i = 0; i < callbacks.length; i++) {
                assertThat(callbacks[i]).as("seed %d: callbacks of request %d", seed, i).isEqualTo(1);
            }
            duplicatesHandled += duplicates[0];
            failures += failed[0];
        }
        assertThat(duplicatesHandled).as("requests handled twice").isPositive();
        assertThat(failures).as("requests lost, so timed out").isPositive();
    }

    @Test
    void aLostRequestTimesOutAtExactlyItsTimeoutInVirtualTime() {
        network().setConditions(new SimulatedNetwork.Conditions(1, 10, 1.0, 0));
        network().attach(1, echo(""));
        Endpoint two = network().attach(2, echo(""));

        CompletableFuture<Outcome> lost = send(two, 1, "into the void", 250);

        assertThat(awaitFailure(lost)).hasMessageContaining("timed out after 250 ms");
        assertThat(scheduler().nowMs()).isEqualTo(250);
        assertThat(network().deliveryLog()).singleElement().asString()
                .isEqualTo("t=0 #1 request 1 2->1 dropped: random loss");
    }

    @Test
    void aDuplicatedRequestReachesTheHandlerTwiceAndItsCallbackOnce() {
        network().setConditions(new SimulatedNetwork.Conditions(5, 5, 0, 1.0));
        List<String> seen = new ArrayList<>();
        network().attach(1, (from, request, responder) -> {
            seen.add(text(request));
            responder.respond(bytes("reply " + seen.size()));
        });
        Endpoint two = network().attach(2, echo(""));

        CompletableFuture<Outcome> outcome = send(two, 1, "once", 1_000);
        scheduler().runUntilIdle();

        assertThat(seen).containsExactly("once", "once");
        assertThat(awaitOutcome(outcome).text()).isEqualTo("reply 1");
        assertThat(network().deliveryLog()).anyMatch(line -> line.contains("ignored: no longer pending"));
    }

    @Test
    void aPartitionCutsBothWaysUntilHealed() {
        network().attach(1, echo("one:"));
        Endpoint two = network().attach(2, echo("two:"));
        Endpoint three = network().attach(3, echo("three:"));
        network().partition(Set.of(1), Set.of(2, 3));

        assertThat(awaitFailure(send(two, 1, "across", 100))).hasMessageContaining("timed out");
        assertThat(awaitOutcome(send(two, 3, "same side", 100)).text()).isEqualTo("three:2:same side");

        network().heal();
        assertThat(awaitOutcome(send(two, 1, "healed", 100)).text()).isEqualTo("one:2:healed");

        network().isolate(3);
        assertThat(awaitFailure(send(three, 2, "out", 100))).hasMessageContaining("timed out");
        assertThat(awaitFailure(send(two, 3, "in", 100))).hasMessageContaining("timed out");
        assertThat(network().deliveryLog()).anyMatch(line -> line.contains("dropped: link cut"));
    }

    @Test
    void aMessageInFlightWhenTheLinkIsCutIsLost() {
        network().setConditions(new SimulatedNetwork.Conditions(10, 10, 0, 0));
        network().attach(1, echo(""));
        Endpoint two = network().attach(2, echo(""));
        CompletableFuture<Outcome> inFlight = send(two, 1, "flying", 100);
        scheduler().runFor(5);

        network().partition(Set.of(1), Set.of(2));

        assertThat(awaitFailure(inFlight)).hasMessageContaining("timed out");
        assertThat(network().deliveryLog()).anyMatch(line -> line.equals("t=10 #1 request 1 2->1 lost in flight: link cut"));
    }

    @Test
    void aCrashedNodeLosesItsMessagesUntilItRestarts() {
        CompletableFuture<String> arrived = new CompletableFuture<>();
        Endpoint one = network().attach(1, silent(arrived));
        Endpoint two = network().attach(2, echo(""));
        CompletableFuture<Outcome> pendingAtCrash = send(two, 1, "before the crash", 300);
        harness.await(arrived);
        CompletableFuture<Outcome> fromTheDeadNode = send(one, 2, "sent by the node that crashes", 300);

        network().crash(1);

        assertThat(awaitFailure(pendingAtCrash)).as("a crash is silent: the request times out")
                .hasMessageContaining("timed out after 300 ms");
        CompletableFuture<Outcome> afterCrash = send(two, 1, "after the crash", 100);
        assertThat(awaitFailure(afterCrash)).hasMessageContaining("timed out");
        send(one, 2, "sent by the dead endpoint", 100);
        scheduler().runUntilIdle();
        assertThat(fromTheDeadNode).as("a dead node runs no callback").isNotDone();
        assertThatThrownBy(() -> network().attach(1, echo(""))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("restart it");

        Endpoint restarted = network().restart(1, echo("new one:"));

        assertThat(awaitOutcome(send(two, 1, "welcome back", 100)).text()).isEqualTo("new one:2:welcome back");
        assertThat(awaitOutcome(send(restarted, 2, "hello", 100)).text()).isEqualTo("1:hello");
        assertThat(network().deliveryLog()).anyMatch(line -> line.endsWith(" crash 1"))
                .anyMatch(line -> line.endsWith(" restart 1"));
    }

    @Test
    void timeMovesOnlyWhenTheSchedulerRuns() {
        network().setConditions(new SimulatedNetwork.Conditions(20, 40, 0, 0));
        network().attach(1, echo(""));
        Endpoint two = network().attach(2, echo(""));

        CompletableFuture<Outcome> outcome = send(two, 1, "tick", 1_000);

        assertThat(scheduler().nowMs()).isZero();
        assertThat(outcome).isNotDone();
        awaitOutcome(outcome);
        assertThat(scheduler().nowMs()).as("a request and its response, each 20 to 40 ms").isBetween(40L, 80L);
    }

    @Test
    void conditionsOutsideTheirRangesAreRefused() {
        assertThatThrownBy(() -> new SimulatedNetwork.Conditions(10, 5, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("min 10 ms, max 5 ms");
        assertThatThrownBy(() -> new SimulatedNetwork.Conditions(0, 5, 1.5, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("drop probability");
        assertThatThrownBy(() -> new SimulatedNetwork.Conditions(0, 5, 0, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate probability");
    }
}
