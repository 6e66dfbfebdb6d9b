package dev.cairn.server.netty;

import static dev.cairn.server.netty.TcpServerTest.await;
import static dev.cairn.server.netty.TcpServerTest.liveThreads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SharedEventLoopsTest {

    @Test
    void aLeaseTakenWithinTheLingerReusesTheRunningThreads() {
        // The linger is long enough that only a stalled test thread could see it pass between the
        // release and the next acquire; the daemon threads go 30 s after the last release.
        SharedEventLoops loops = new SharedEventLoops("test-reuse", Duration.ofSeconds(30));
        SharedEventLoops.Groups first = loops.acquire();
        loops.release(first);

        SharedEventLoops.Groups second = loops.acquire();
        try {
            assertThat(second).isSameAs(first);
            assertThat(second.acceptor().isShuttingDown()).isFalse();
            assertThat(second.workers().isShuttingDown()).isFalse();
        } finally {
            loops.release(second);
        }
    }

    @Test
    void theThreadsStopOnlyWhenTheLastLeaseHasLingered() {
        SharedEventLoops loops = new SharedEventLoops("test-last-lease", Duration.ofMillis(20));
        SharedEventLoops.Groups a = loops.acquire();
        SharedEventLoops.Groups b = loops.acquire();
        a.acceptor().submit(() -> { }).syncUninterruptibly();
        loops.release(a);
        // Had the first release started the linger, the acceptor would be shutting down by now.
        a.acceptor().schedule(() -> { }, 100, java.util.concurrent.TimeUnit.MILLISECONDS).syncUninterruptibly();
        assertThat(b.acceptor().isShuttingDown()).isFalse();

        loops.release(b);
        await("the acceptor has stopped", () -> b.acceptor().isTerminated() && b.workers().isTerminated());
        assertThat(liveThreads("test-last-lease-")).isEmpty();

        SharedEventLoops.Groups c = loops.acquire();
        try {
            assertThat(c).isNotSameAs(b);
            assertThat(c.acceptor().isShuttingDown()).isFalse();
        } finally {
            loops.release(c);
        }
    }

    @Test
    void theIoThreadsAreAsManyAsCoresUpToFourUnlessThePropertySaysHowMany() {
        assertThat(SharedEventLoops.ioThreads(null, 1)).isEqualTo(1);
        assertThat(SharedEventLoops.ioThreads(null, 2)).isEqualTo(2);
        assertThat(SharedEventLoops.ioThreads(null, 64)).isEqualTo(4);
        assertThat(SharedEventLoops.ioThreads("1", 64)).isEqualTo(1);
        assertThat(SharedEventLoops.ioThreads(" 8 ", 2)).isEqualTo(8);
        for (String bad : new String[] {"0", "-1", "two", ""}) {
            assertThatThrownBy(() -> SharedEventLoops.ioThreads(bad, 2)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cairn.listener.ioThreads").hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void releasingMoreThanWasTakenIsRefused() {
        SharedEventLoops loops = new SharedEventLoops("test-over-release", Duration.ofMillis(20));
        SharedEventLoops.Groups groups = loops.acquire();
        loops.release(groups);

        assertThatThrownBy(() -> loops.release(groups)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not held");
        assertThat(loops.leases()).isZero();
    }
}
