package dev.cairn.server.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class TcpServerTest {
    private static final String HOST = "127.0.0.1";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void closeClosesEveryConnectionAndFreesThePortAtOnce() throws IOException {
        SharedEventLoops loops = new SharedEventLoops("test-close", Duration.ofMillis(50));
        TcpServer server = TcpServer.bind(loops, "the test server", HOST, 0, channel -> { });
        int port = server.address().getPort();
        List<Socket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                clients.add(new Socket(InetAddress.getLoopbackAddress(), port));
            }
            await("three connections are tracked", () -> server.connections() == 3);

            server.close(() -> { });

            assertThat(server.connections()).isZero();
            for (Socket client : clients) {
                client.setSoTimeout((int) TIMEOUT.toMillis());
                try (InputStream in = client.getInputStream()) {
                    assertThat(in.read()).as("the server closed the connection").isEqualTo(-1);
                } catch (IOException reset) {
                    // A reset is closed too.
                }
            }
            try (ServerSocket again = new ServerSocket()) {
                again.setReuseAddress(true);
                again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                assertThat(again.getLocalPort()).isEqualTo(port);
            }
            assertThat(loops.leases()).isZero();
        } finally {
            for (Socket client : clients) {
                client.close();
            }
            server.close(() -> { });
        }
    }

    @Test
    void closeRunsTheFrontEndsShutdownAfterTheConnectionsAndOnlyOnce() {
        SharedEventLoops loops = new SharedEventLoops("test-shutdown", Duration.ofMillis(50));
        TcpServer server = TcpServer.bind(loops, "the test server", HOST, 0, channel -> { });
        AtomicInteger shutdowns = new AtomicInteger();

        server.close(shutdowns::incrementAndGet);
        server.close(shutdowns::incrementAndGet);

        assertThat(shutdowns).hasValue(1);
        assertThat(loops.leases()).isZero();
    }

    @Test
    void listenersOfOneJvmShareTheThreads() throws IOException {
        // Two listeners, several connections each: every pipeline is set up on one of the shared I/O
        // threads, and no listener starts threads of its own.
        SharedEventLoops loops = new SharedEventLoops("test-share", Duration.ofMillis(50));
        Set<String> initThreads = ConcurrentHashMap.newKeySet();
        TcpServer a = TcpServer.bind(loops, "server a", HOST, 0, c -> initThreads.add(Thread.currentThread().getName()));
        TcpServer b = TcpServer.bind(loops, "server b", HOST, 0, c -> initThreads.add(Thread.currentThread().getName()));
        List<Socket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                clients.add(new Socket(InetAddress.getLoopbackAddress(), a.address().getPort()));
                clients.add(new Socket(InetAddress.getLoopbackAddress(), b.address().getPort()));
            }
            await("every connection is tracked", () -> a.connections() == 4 && b.connections() == 4);

            int ioThreads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
            assertThat(initThreads).allMatch(name -> name.startsWith("test-share-io-"));
            assertThat(liveThreads("test-share-")).hasSizeLessThanOrEqualTo(1 + ioThreads);
            assertThat(loops.leases()).isEqualTo(2);
        } finally {
            for (Socket client : clients) {
                client.close();
            }
            a.close(() -> { });
            b.close(() -> { });
        }
        assertThat(loops.leases()).isZero();
    }

    @Test
    void aScheduledTaskStopsAtItsListenersClose() {
        // Both listeners' tasks run on the one acceptor thread: once the other's task has run a few
        // more times after the close, the closed one's would have run too had it not been stopped.
        SharedEventLoops loops = new SharedEventLoops("test-every", Duration.ofMillis(50));
        TcpServer closing = TcpServer.bind(loops, "closing", HOST, 0, channel -> { });
        TcpServer staying = TcpServer.bind(loops, "staying", HOST, 0, channel -> { });
        try {
            AtomicInteger closingRuns = new AtomicInteger();
            AtomicInteger stayingRuns = new AtomicInteger();
            ScheduledFuture<?> closingTask = closing.every(Duration.ofMillis(5), closingRuns::incrementAndGet);
            staying.every(Duration.ofMillis(5), stayingRuns::incrementAndGet);
            await("the task has run", () -> closingRuns.get() > 0);

            closing.close(() -> { });
            int runsAtClose = closingRuns.get();
            int stayingAtClose = stayingRuns.get();
            await("the other listener's task has run five more times", () -> stayingRuns.get() >= stayingAtClose + 5);

            assertThat(closingRuns).hasValue(runsAtClose);
            assertThat(closingTask.isCancelled()).isTrue();
            assertThatThrownBy(() -> closing.every(Duration.ofMillis(5), () -> { }))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        } finally {
            closing.close(() -> { });
            staying.close(() -> { });
        }
    }

    @Test
    void theThreadsStopAfterTheLingerOnceTheLastListenerHasClosed() {
        SharedEventLoops loops = new SharedEventLoops("test-linger", Duration.ofMillis(50));
        TcpServer a = TcpServer.bind(loops, "server a", HOST, 0, channel -> { });
        TcpServer b = TcpServer.bind(loops, "server b", HOST, 0, channel -> { });
        a.every(Duration.ofMillis(5), () -> { });
        assertThat(liveThreads("test-linger-")).isNotEmpty();

        a.close(() -> { });
        b.close(() -> { });
        await("no thread is left", () -> liveThreads("test-linger-").isEmpty());

        // And the next listener starts new ones.
        TcpServer c = TcpServer.bind(loops, "server c", HOST, 0, channel -> { });
        c.every(Duration.ofMillis(5), () -> { });
        assertThat(liveThreads("test-linger-")).isNotEmpty();
        c.close(() -> { });
        await("no thread is left", () -> liveThreads("test-linger-").isEmpty());
    }

    @Test
    void aFailedBindGivesTheThreadsBack() throws IOException {
        SharedEventLoops loops = new SharedEventLoops("test-failed-bind", Duration.ofMillis(50));
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> TcpServer.bind(loops, "the test server", HOST, taken.getLocalPort(), c -> { }))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("the test server could not listen on " + HOST + ":" + taken.getLocalPort());
        }
        assertThat(loops.leases()).isZero();
        await("no thread is left", () -> liveThreads("test-failed-bind-").isEmpty());
    }

    static List<Thread> liveThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).toList();
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }
}
