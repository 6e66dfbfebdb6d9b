package dev.cairn.server.redis;

import dev.cairn.dictionary.command.CommandFlag;
import dev.cairn.dictionary.command.CommandSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * CLIENT PAUSE and CLIENT UNPAUSE, as Redis 7.0's {@code pauseClients}: while a pause lasts, a
 * command it covers is held, with every later command of its client, until the pause ends (its
 * timeout passes or CLIENT UNPAUSE); then the held clients go on, in the order they were held.
 * {@code ALL} covers every command (CLIENT UNPAUSE and the pausing client's own included, as in
 * Redis); {@code WRITE} covers write commands and those that may write or propagate
 * ({@link #MAY_WRITE}), and EXEC of a transaction holding one. A later pause may only lengthen the
 * pause or widen it from WRITE to ALL, never shorten or narrow it. Commands refused before they
 * run (unknown, wrong arity, NOAUTH) are answered at once.
 *
 * <p>Not covered, unlike Redis: the expiry of keys goes on during a pause.
 *
 * <p>Thread-safe: every method synchronizes on this object; releasing hands off to each held
 * connection's event loop outside the monitor.
 */
final class ClientPause {
    /** What a pause covers, in order of width. */
    enum Mode { NONE, WRITE, ALL }

    /** Redis's commands flagged may-replicate that Cairn knows; held by a WRITE pause. */
    private static final Set<String> MAY_WRITE = Set.of("publish", "spublish", "pfcount", "wait", "eval", "evalsha",
            "fcall");

    private Mode mode = Mode.NONE;
    private long endNanos;
    private final LinkedHashSet<ClientConnection> held = new LinkedHashSet<>();

    /** CLIENT PAUSE: pauses for {@code timeoutMs} (or longer, if a pause already lasts longer). */
    synchronized void pause(long timeoutMs, Mode wanted) {
        long now = System.nanoTime();
        if (mode != Mode.NONE && now - endNanos >= 0) {
            mode = Mode.NONE;
        }
        long end = now + Math.min(timeoutMs, Long.MAX_VALUE / 4_000_000L) * 1_000_000L;
        if (mode == Mode.NONE || end - endNanos > 0) {
            endNanos = end;
        }
        if (wanted.compareTo(mode) > 0) {
            mode = wanted;
        }
    }

    /** Whether a pause now covers {@code spec} ({@code writingExec}: an EXEC whose block writes). */
    synchronized boolean covers(CommandSpec spec, boolean writingExec) {
        if (mode == Mode.NONE) {
            return false;
        }
        if (System.nanoTime() - endNanos >= 0) {
            return false;
        }
        return mode == Mode.ALL || spec.is(CommandFlag.WRITE) || MAY_WRITE.contains(spec.name()) || writingExec;
    }

    /** Records that {@code client} holds a command until the pause ends. */
    synchronized void hold(ClientConnection client) {
        held.add(client);
    }

    /** Forgets a client that disconnected while held. */
    synchronized void forget(ClientConnection client) {
        held.remove(client);
    }

    /** CLIENT UNPAUSE: ends the pause and lets every held client go on. */
    void unpause() {
        List<ClientConnection> release;
        synchronized (this) {
            mode = Mode.NONE;
            release = takeHeld();
        }
        release.forEach(ClientConnection::pauseEnded);
    }

    /**
     * A held client's timer: if the pause is over, every held client goes on, in the order held,
     * and 0 is returned; else the nanoseconds left (a later pause lengthened it).
     */
    long releaseIfOver() {
        List<ClientConnection> release;
        synchronized (this) {
            long leftNanos = endNanos - System.nanoTime();
            if (mode != Mode.NONE && leftNanos > 0) {
                return leftNanos;
            }
            mode = Mode.NONE;
            release = takeHeld();
        }
        release.forEach(ClientConnection::pauseEnded);
        return 0;
    }

    private List<ClientConnection> takeHeld() {
        List<ClientConnection> release = new ArrayList<>(held);
        held.clear();
        return release;
    }
}
