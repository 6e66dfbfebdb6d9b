package dev.cairn.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link Transport} contract, run against every implementation by a subclass that supplies a
 * {@link Harness}. Every request goes through {@link #send}, which also checks that its callback
 * runs exactly once and never inside {@code send}.
 */
abstract class TransportContractTest {
    /** What the contract tests need from one transport: it, and a way to wait on it. */
    interface Harness extends AutoCloseable {
        Transport transport();

        /** Waits until {@code future} is done (real transports) or runs the simulation until it is, and returns its value. */
        <T> T await(CompletableFuture<T> future);

        /** Runs {@code task} a little later, on another thread (real transports) or a later step of the simulation. */
        void later(Runnable task);

        /** A request timeout short enough for a test, long enough never to cut a working round trip. */
        long shortTimeoutMs();

        @Override
        void close();
    }

    /** One request's outcome as its callback saw it. */
    record Outcome(ByteBuffer response, TransportException failure, boolean calledInsideSend) {
        String text() {
            assertThat(failure).as("failure").isNull();
            return TransportContractTest.text(response);
        }
    }

    private static final ThreadLocal<Boolean> INSIDE_SEND = ThreadLocal.withInitial(() -> false);
    private static final long LONG_TIMEOUT_MS = 60_000;

    protected Harness harness;
    /** Breaches of the callback contract, seen on whatever thread ran the callback; checked after each test. */
    private final List<String> violations = new ArrayList<>();

    abstract Harness newHarness();

    @BeforeEach
    void openHarness() {
        harness = newHarness();
    }

    @AfterEach
    void closeHarness() {
        harness.close();
        synchronized (violations) {
            assertThat(violations).isEmpty();
        }
    }

    /** Sends through {@code from}; the future completes when the callback runs, which must be once only. */
    CompletableFuture<Outcome> send(Endpoint from, int to, String request, long timeoutMs) {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        INSIDE_SEND.set(true);
        try {
            from.send(to, bytes(request), timeoutMs, (response, failure) -> {
                if ((response == null) == (failure == null)) {
                    violation("callback for " + request + " got response " + response + " and failure " + failure);
                }
                if (!outcome.complete(new Outcome(response, failure, INSIDE_SEND.get()))) {
                    violation("callback ran twice for " + request);
                }
            });
        } finally {
            INSIDE_SEND.set(false);
        }
        return outcome;
    }

    private void violation(String what) {
        synchronized (violations) {
            violations.add(what);
        }
    }

    Outcome awaitOutcome(CompletableFuture<Outcome> pending) {
        Outcome outcome = harness.await(pending);
        assertThat(outcome.calledInsideSend()).as("callback ran inside send").isFalse();
        return outcome;
    }

    TransportException awaitFailure(CompletableFuture<Outcome> pending) {
        Outcome outcome = awaitOutcome(pending);
        assertThat(outcome.failure()).as("failure").isNotNull();
        return outcome.failure();
    }

    static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    static String text(ByteBuffer buffer) {
        return StandardCharsets.UTF_8.decode(buffer.duplicate()).toString();
    }

    static RequestHandler echo(String prefix) {
        return (from, request, responder) -> responder.respond(bytes(prefix + from + ":" + text(request)));
    }

    /** A handler that never answers, and tells when a request reached it. */
    static RequestHandler silent(CompletableFuture<String> arrived) {
        return (from, request, responder) -> arrived.complete(text(request));
    }

    @Test
    void aRequestGetsItsResponse() {
        harness.transport().attach(1, echo("one heard "));
        Endpoint two = harness.transport().attach(2, echo("two heard "));

        assertThat(two.nodeId()).isEqualTo(2);
        assertThat(awaitOutcome(send(two, 1, "hello", LONG_TIMEOUT_MS)).text()).isEqualTo("one heard 2:hello");
    }

    @Test
    void attachingANodeTwiceIsRefused() {
        harness.transport().attach(1, echo(""));
        assertThatThrownBy(() -> harness.transport().attach(1, echo(""))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("node 1 is already attached");
    }

    @Test
    void manyPendingRequestsAnsweredInReverseOrderEachGetTheirOwnResponse() {
        int requests = 100;
        List<Runnable> answers = new ArrayList<>();
        harness.transport().attach(1, (from, request, responder) -> {
            ByteBuffer answer = bytes(text(request) + " answered");
            synchronized (answers) {
                answers.add(() -> responder.respond(answer));
                if (answers.size() == requests) {
                    for (int i = answers.size() - 1; i >= 0; i--) {
                        answers.get(i).run();
                    }
                }
            }
        });
        Endpoint two = harness.transport().attach(2, echo(""));
        List<CompletableFuture<Outcome>> pending = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            pending.add(send(two, 1, "request " + i, LONG_TIMEOUT_MS));
        }
        for (int i = 0; i < requests; i++) {
            assertThat(awaitOutcome(pending.get(i)).text()).isEqualTo("request " + i + " answered");
        }
    }

    @Test
    void aHandlerMayAnswerLaterFromAnotherThread() {
        harness.transport().attach(1, (from, request, responder) -> {
            ByteBuffer answer = bytes("later: " + text(request));
            harness.later(() -> responder.respond(answer));
        });
        Endpoint two = harness.transport().attach(2, echo(""));

        assertThat(awaitOutcome(send(two, 1, "fetch", LONG_TIMEOUT_MS)).text()).isEqualTo("later: fetch");
    }

    @Test
    void onlyTheFirstAnswerCounts() {
        harness.transport().attach(1, (from, request, responder) -> {
            responder.respond(bytes("first"));
            responder.respond(bytes("second"));
        });
        Endpoint two = harness.transport().attach(2, echo(""));

        assertThat(awaitOutcome(send(two, 1, "x", LONG_TIMEOUT_MS)).text()).isEqualTo("first");
        // A second answer would have reached the callback by now: the round trip below comes after it.
        assertThat(awaitOutcome(send(two, 1, "y", LONG_TIMEOUT_MS)).text()).isEqualTo("first");
    }

    @Test
    void aRequestNeverAnsweredTimesOut() {
        harness.transport().attach(1, silent(new CompletableFuture<>()));
        Endpoint two = harness.transport().attach(2, echo(""));

        assertThat(awaitFailure(send(two, 1, "anyone?", harness.shortTimeoutMs())))
                .isInstanceOf(TransportException.class).hasMessageContaining("timed out after");
    }

    @Test
    void aRequestToAnUnknownNodeFails() {
        Endpoint two = harness.transport().attach(2, echo(""));

        assertThat(awaitFailure(send(two, 99, "hello?", LONG_TIMEOUT_MS))).hasMessageContaining("node 99");
    }

    @Test
    void detachingANodeFailsTheRequestsPendingToIt() {
        CompletableFuture<String> arrived = new CompletableFuture<>();
        Endpoint one = harness.transport().attach(1, silent(arrived));
        Endpoint two = harness.transport().attach(2, echo(""));
        CompletableFuture<Outcome> pending = send(two, 1, "wait", LONG_TIMEOUT_MS);
        assertThat(harness.await(arrived)).isEqualTo("wait");

        one.close();
        one.close();

        assertThat(awaitFailure(pending)).isInstanceOf(TransportException.class);
        assertThat(awaitFailure(send(two, 1, "still there?", LONG_TIMEOUT_MS))).isInstanceOf(TransportException.class);
    }

    @Test
    void detachingANodeFailsItsOwnPendingRequests() {
        CompletableFuture<String> arrived = new CompletableFuture<>();
        harness.transport().attach(1, silent(arrived));
        Endpoint two = harness.transport().attach(2, echo(""));
        CompletableFuture<Outcome> pending = send(two, 1, "wait", LONG_TIMEOUT_MS);
        assertThat(harness.await(arrived)).isEqualTo("wait");

        two.close();

        assertThat(awaitFailure(pending)).hasMessageContaining("node 2 was detached");
        assertThatThrownBy(() -> two.send(1, bytes("after"), LONG_TIMEOUT_MS, (response, failure) -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("node 2 is detached");
    }

    @Test
    void closingTheTransportFailsEveryPendingRequest() {
        CompletableFuture<String> arrived = new CompletableFuture<>();
        harness.transport().attach(1, silent(arrived));
        Endpoint two = harness.transport().attach(2, echo(""));
        Endpoint three = harness.transport().attach(3, echo(""));
        CompletableFuture<Outcome> fromTwo = send(two, 1, "two waits", LONG_TIMEOUT_MS);
        assertThat(harness.await(arrived)).isEqualTo("two waits");
        CompletableFuture<Outcome> fromThree = send(three, 1, "three waits", LONG_TIMEOUT_MS);

        harness.transport().close();
        harness.transport().close();

        assertThat(awaitFailure(fromTwo)).isInstanceOf(TransportException.class);
        assertThat(awaitFailure(fromThree)).isInstanceOf(TransportException.class);
        assertThatThrownBy(() -> harness.transport().attach(4, echo(""))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void requestsAndResponsesAreCopied() {
        CompletableFuture<ByteBuffer> answered = new CompletableFuture<>();
        harness.transport().attach(1, (from, request, responder) -> {
            ByteBuffer response = bytes("response as sent");
            responder.respond(response);
            response.put(0, (byte) 'X');
            // The handler sees the request as it was sent, whatever the sender did to its buffer since.
            answered.complete(request);
        });
        Endpoint two = harness.transport().attach(2, echo(""));
        ByteBuffer request = bytes("request as sent");
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();

        two.send(1, request, LONG_TIMEOUT_MS, (response, failure) -> outcome.complete(new Outcome(response, failure,
                false)));
        request.put(0, (byte) 'X');

        assertThat(request.position()).as("the sender's position").isZero();
        assertThat(text(harness.await(answered))).isEqualTo("request as sent");
        assertThat(awaitOutcome(outcome).text()).isEqualTo("response as sent");
    }
}
