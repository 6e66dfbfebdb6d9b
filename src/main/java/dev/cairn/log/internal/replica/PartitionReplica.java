package dev.cairn.log.internal.replica;

import dev.cairn.cluster.Responder;
import dev.cairn.cluster.Scheduler;
import dev.cairn.cluster.TransportException;
import dev.cairn.common.StorageException;
import dev.cairn.log.Acks;
import dev.cairn.log.NotEnoughReplicasAfterAppendException;
import dev.cairn.log.NotEnoughReplicasException;
import dev.cairn.log.NotLeaderException;
import dev.cairn.log.ProducerRecord;
import dev.cairn.log.TopicPartition;
import dev.cairn.log.internal.replica.ReplicationProtocol.AlterPartition;
import dev.cairn.log.internal.replica.ReplicationProtocol.AlterPartitionResponse;
import dev.cairn.log.internal.replica.ReplicationProtocol.Fetch;
import dev.cairn.log.internal.replica.ReplicationProtocol.FetchResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's copy of one partition, leading or following as the controller's latest
 * {@link PartitionState} says.
 *
 * <p><b>As leader</b> it takes appends, serves followers' fetches, tracks each follower's position
 * ({@link FollowerPosition}), and from them the high watermark: the least log end offset across
 * the in-sync set, which is what consumers may read and what {@link Acks#ALL} waits for. It asks
 * the controller to shrink the in-sync set when a follower lags more than
 * {@code replicaLagTimeMaxMs}, and to grow it when a follower reaches the high watermark and the
 * start of the leader's epoch. While such a change is in flight the high watermark is computed
 * over the union of the old and proposed sets (Kafka's maximal in-sync set), so a record is never
 * committed without every replica the controller might elect.
 *
 * <p><b>As follower</b> it fetches from the leader ({@link FollowerFetcher}).
 *
 * <p>Thread-safety: state is guarded by this object's monitor. Sends never run a callback inside
 * {@code send}, so sending under the monitor cannot re-enter it; futures and responders are
 * completed after the monitor is released where callers' code might run.
 */
final class PartitionReplica implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionReplica.class);

    private final ReplicaContext ctx;
    private final ReplicaLog log;
    private final TopicPartition partition;
    private PartitionState state;
    private boolean leading;
    private boolean closed;
    private volatile int minInsyncReplicas = 1;

    // Leader side.
    private final Map<Integer, FollowerPosition> followers = new TreeMap<>();
    private long epochStartOffset;
    /** An in-sync set change sent to the controller and not yet answered, and the state it was made from. */
    private List<Integer> pendingIsr;
    private PartitionState pendingBase;
    /** Appends with acks ALL, by the high watermark that acknowledges them. */
    private final NavigableMap<Long, List<CompletableFuture<Void>>> ackWaiters = new TreeMap<>();
    private final List<ParkedFetch> parked = new ArrayList<>();
    private Scheduler.Cancellable isrCheck;

    private final FollowerFetcher fetcher;

    private record ParkedFetch(int from, Fetch fetch, Responder responder, Scheduler.Cancellable timeout) {
    }

    PartitionReplica(ReplicaContext ctx, ReplicaLog log) {
        this.ctx = ctx;
        this.log = log;
        this.partition = log.topicPartition();
        this.fetcher = new FollowerFetcher(this, ctx, log);
    }

    TopicPartition partition() {
        return partition;
    }

    ReplicaLog log() {
        return log;
    }

    synchronized PartitionState state() {
        return state;
    }

    synchronized boolean isLeader() {
        return leading;
    }

    void minInsyncReplicas(int count) {
        this.minInsyncReplicas = count;
    }

    /** What this copy knows of each follower's log end offset, when leading (empty otherwise). */
    synchronized Map<Integer, Long> followerEndOffsets() {
        Map<Integer, Long> ends = new TreeMap<>();
        if (leading) {
            followers.forEach((id, p) -> ends.put(id, p.logEndOffset));
        }
        return ends;
    }

    // ---- state changes ------------------------------------------------------------------------

    /** Takes {@code next} from the controller if it is newer than what this copy knows. */
    void apply(PartitionState next) {
        underMonitor(after -> {
            if (closed || !next.isNewerThan(state)) {
                return;
            }
            PartitionState previous = state;
            state = next;
            boolean newEpoch = previous == null || previous.leaderEpoch() != next.leaderEpoch();
            if (next.leader() == ctx.nodeId()) {
                if (!leading || newEpoch) {
                    becomeLeader(after);
                } else {
                    if (pendingBase != null && next.partitionEpoch() > pendingBase.partitionEpoch()) {
                        pendingIsr = null;
                        pendingBase = null;
                    }
                    maybeAdvanceHighWatermark(after);
                }
            } else if (leading || newEpoch) {
                becomeFollower(after);
            }
        });
    }

    /**
     * Runs {@code body} under this copy's monitor, then, with the monitor released, every task the
     * body deferred: all of them, even if the body threw after deferring some (a failed read while
     * answering a fetch) or an earlier task threw (a responder whose node is gone). An acks-ALL
     * future is taken off {@link #ackWaiters} before its completion is deferred, so a skipped task
     * would leave its append waiting forever. The first failure is thrown once all have run.
     */
    private void underMonitor(java.util.function.Consumer<List<Runnable>> body) {
        List<Runnable> after = new ArrayList<>();
        RuntimeException first = null;
        try {
            synchronized (this) {
                body.accept(after);
            }
        } catch (RuntimeException e) {
            first = e;
        }
        for (Runnable task : after) {
            try {
                task.run();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private void becomeLeader(List<Runnable> after) {
        try {
            log.becomeLeader(state.leaderEpoch());
        } catch (RuntimeException e) {
            LOG.error("{} cannot lead epoch {}: {}", partition, state.leaderEpoch(), e.toString());
            return;
        }
        leading = true;
        fetcher.restart();
        epochStartOffset = log.logEndOffset();
        long now = ctx.scheduler().nowMs();
        followers.clear();
        for (int id : state.replicas()) {
            if (id != ctx.nodeId()) {
                // In-sync followers get the benefit of the doubt from the election on (as Kafka's do).
                followers.put(id, new FollowerPosition(state.isr().contains(id) ? now : 0));
            }
        }
        pendingIsr = null;
        pendingBase = null;
        scheduleIsrCheck();
        LOG.info("{} led by node {} in epoch {} from offset {}", partition, ctx.nodeId(), state.leaderEpoch(),
                epochStartOffset);
        maybeAdvanceHighWatermark(after);
        after.add(() -> ctx.becameLeader().accept(log));
    }

    private void becomeFollower(List<Runnable> after) {
        leading = false;
        log.becomeFollower();
        failLeaderWork(after, new NotLeaderException(partition + " is now led by node " + state.leader()
                + " in epoch " + state.leaderEpoch() + ", not node " + ctx.nodeId()));
        fetcher.restart();
        if (state.leader() != PartitionState.NO_LEADER) {
            after.add(fetcher::fetch);
        }
    }

    /** Fails what only a leader waits for: acks-ALL appends and parked fetches. Monitor held. */
    private void failLeaderWork(List<Runnable> after, RuntimeException cause) {
        List<CompletableFuture<Void>> waiting = new ArrayList<>();
        ackWaiters.values().forEach(waiting::addAll);
        ackWaiters.clear();
        after.add(() -> waiting.forEach(f -> f.completeExceptionally(cause)));
        for (ParkedFetch p : parked) {
            p.timeout().cancel();
            FetchResponse notLeader = FetchResponse.error(ReplicaError.NOT_LEADER, state.leaderEpoch());
            after.add(() -> p.responder().respond(ReplicationProtocol.encode(notLeader)));
        }
        parked.clear();
        if (isrCheck != null) {
            isrCheck.cancel();
            isrCheck = null;
        }
    }

    // ---- leader: appends ----------------------------------------------------------------------

    /**
     * Appends {@code records} as leader; the future completes with the base offset when
     * {@code acks} is satisfied.
     *
     * @throws NotLeaderException if this copy does not lead the partition
     * @throws NotEnoughReplicasException with {@link Acks#ALL}, if the in-sync set is below the minimum; nothing is written
     */
    CompletableFuture<Long> append(List<ProducerRecord> records, Acks acks) {
        checkAppend(acks);
        // Outside the monitor: the append waits for its fsync. A change of leader meanwhile
        // fences the log itself, so the append then fails with NotLeaderException.
        long base;
        try {
            base = log.appendAsLeader(records);
        } catch (StorageException e) {
            ctx.storageFailed().run();
            throw e;
        }
        onLeaderAppend();
        return appended(base + records.size(), acks).thenApply(ignored -> base);
    }

    /**
     * Checks that an append with {@code acks} may be written to this copy now: it leads, and with
     * {@link Acks#ALL} the in-sync set is at least the minimum (Kafka checks this before writing).
     *
     * @throws NotLeaderException if this copy does not lead the partition
     * @throws NotEnoughReplicasException with {@link Acks#ALL}, if the in-sync set is below the minimum
     */
    synchronized void checkAppend(Acks acks) {
        checkLeading();
        if (acks == Acks.ALL && state.isr().size() < minInsyncReplicas) {
            throw new NotEnoughReplicasException("the in-sync set of " + partition + " is " + state.isr()
                    + ", fewer than minInsyncReplicas " + minInsyncReplicas);
        }
    }

    /**
     * Completes when an append that ended the log at {@code end} (written as leader, then
     * {@link #onLeaderAppend} told) satisfies {@code acks}: at once unless {@link Acks#ALL}, else
     * when the high watermark reaches {@code end}, failing if leadership is lost first or the
     * in-sync set has then shrunk below the minimum.
     */
    CompletableFuture<Void> appended(long end, Acks acks) {
        if (acks != Acks.ALL) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> replicated = new CompletableFuture<>();
        synchronized (this) {
            if (!leading) {
                replicated.completeExceptionally(new NotLeaderException(partition + " lost its leadership on node "
                        + ctx.nodeId() + " before offset " + (end - 1) + " was replicated"));
            } else if (log.highWatermark() >= end) {
                replicated.complete(null);
            } else {
                ackWaiters.computeIfAbsent(end, k -> new ArrayList<>()).add(replicated);
            }
        }
        return replicated.thenRun(() -> checkEnoughAfterAppend(end - 1));
    }

    private void checkEnoughAfterAppend(long offset) {
        int inSync;
        synchronized (this) {
            inSync = maximalIsr().size();
        }
        if (inSync < minInsyncReplicas) {
            throw new NotEnoughReplicasAfterAppendException("offset " + offset + " of " + partition
                    + " was written and reached the high watermark, but the in-sync set shrank to " + inSync
                    + ", below minInsyncReplicas " + minInsyncReplicas);
        }
    }

    private void checkLeading() {
        if (closed || !leading) {
            throw new NotLeaderException(partition + " is not led by node " + ctx.nodeId()
                    + (state == null ? "" : "; its leader is node " + state.leader() + " in epoch " + state.leaderEpoch()));
        }
    }

    /** Tells the leader its log grew (by any append path): parked fetches are answered, the high watermark may move. */
    void onLeaderAppend() {
        underMonitor(after -> {
            if (!leading) {
                return;
            }
            maybeAdvanceHighWatermark(after);
            List<ParkedFetch> waking = new ArrayList<>(parked);
            parked.clear();
            for (ParkedFetch p : waking) {
                p.timeout().cancel();
                answerFetch(p.from(), p.fetch(), p.responder(), false, after);
            }
        });
    }

    // ---- leader: fetches and the in-sync set --------------------------------------------------

    /** Serves a follower's fetch, now or, if nothing is new, when something is or its wait ends. */
    void handleFetch(int from, Fetch fetch, Responder responder) {
        underMonitor(after -> answerFetch(from, fetch, responder, true, after));
    }

    private void answerFetch(int from, Fetch fetch, Responder responder, boolean mayPark, List<Runnable> after) {
        FetchResponse response = fetchResponse(from, fetch, mayPark, responder, after);
        if (response != null) {
            after.add(() -> responder.respond(ReplicationProtocol.encode(response)));
        }
    }

    /** The response to {@code fetch}, or null if it was parked. Monitor held. */
    private FetchResponse fetchResponse(int from, Fetch fetch, boolean mayPark, Responder responder, List<Runnable> after) {
        int epoch = state == null ? -1 : state.leaderEpoch();
        if (closed || !leading || !state.replicas().contains(from)) {
            return FetchResponse.error(ReplicaError.NOT_LEADER, epoch);
        }
        if (fetch.currentLeaderEpoch() < epoch) {
            return FetchResponse.error(ReplicaError.FENCED_LEADER_EPOCH, epoch);
        }
        if (fetch.currentLeaderEpoch() > epoch) {
            return FetchResponse.error(ReplicaError.UNKNOWN_LEADER_EPOCH, epoch);
        }
        long end = log.logEndOffset();
        if (fetch.lastFetchedEpoch() >= 0) {
            EpochEndOffset agreed = log.endOffsetFor(fetch.lastFetchedEpoch());
            if (agreed.epoch() != fetch.lastFetchedEpoch() || agreed.endOffset() < fetch.fetchOffset()) {
                return new FetchResponse(ReplicaError.NONE, epoch, log.highWatermark(), log.logStartOffset(), end,
                        true, agreed.epoch(), agreed.endOffset(), ByteBuffer.allocate(0));
            }
        }
        if (fetch.fetchOffset() < log.logStartOffset() || fetch.fetchOffset() > end) {
            return new FetchResponse(ReplicaError.OFFSET_OUT_OF_RANGE, epoch, log.highWatermark(), log.logStartOffset(),
                    end, false, -1, -1, ByteBuffer.allocate(0));
        }
        FollowerPosition position = followers.get(from);
        if (fetch.replicaIncarnation() < position.incarnation) {
            // A fetch of the follower's former process, delayed: its position is not the follower's.
            return FetchResponse.error(ReplicaError.STALE_INCARNATION, epoch);
        }
        if (fetch.replicaIncarnation() > position.incarnation) {
            // The follower restarted: what its former process had fetched says nothing of it now.
            position = new FollowerPosition(0);
            position.incarnation = fetch.replicaIncarnation();
            followers.put(from, position);
        }
        position.onFetch(fetch.fetchOffset(), end, ctx.scheduler().nowMs());
        maybeExpandIsr(from, position);
        maybeAdvanceHighWatermark(after);
        ByteBuffer records = fetch.fetchOffset() == end ? ByteBuffer.allocate(0)
                : log.read(fetch.fetchOffset(), Math.min(fetch.maxBytes(), ctx.config().fetchMaxBytes()), end);
        if (!records.hasRemaining() && mayPark && fetch.maxWaitMs() > 0) {
            park(from, fetch, responder);
            return null;
        }
        return new FetchResponse(ReplicaError.NONE, epoch, log.highWatermark(), log.logStartOffset(), end,
                false, -1, -1, records);
    }

    private void park(int from, Fetch fetch, Responder responder) {
        ParkedFetch[] self = new ParkedFetch[1];
        Scheduler.Cancellable timeout = ctx.scheduler().schedule(fetch.maxWaitMs(), () -> unpark(self[0]));
        self[0] = new ParkedFetch(from, fetch, responder, timeout);
        parked.add(self[0]);
    }

    private void unpark(ParkedFetch p) {
        underMonitor(after -> {
            if (parked.remove(p)) {
                answerFetch(p.from(), p.fetch(), p.responder(), false, after);
            }
        });
    }

    /** The in-sync set with any member a pending change would add: the set commitment must wait for. */
    private List<Integer> maximalIsr() {
        if (pendingIsr == null) {
            return state.isr();
        }
        return state.replicas().stream().filter(id -> state.isr().contains(id) || pendingIsr.contains(id)).toList();
    }

    /** Moves the high watermark to the least log end across the maximal in-sync set, waking acks-ALL appends. */
    private void maybeAdvanceHighWatermark(List<Runnable> after) {
        if (!leading) {
            return;
        }
        long hw = log.logEndOffset();
        for (int id : maximalIsr()) {
            if (id != ctx.nodeId()) {
                hw = Math.min(hw, followers.get(id).logEndOffset);
            }
        }
        if (hw <= log.highWatermark()) {
            return;
        }
        log.highWatermark(hw);
        long committed = log.highWatermark();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (Iterator<List<CompletableFuture<Void>>> it = ackWaiters.headMap(committed, true).values().iterator();
                it.hasNext(); ) {
            done.addAll(it.next());
            it.remove();
        }
        if (!done.isEmpty()) {
            after.add(() -> done.forEach(f -> f.complete(null)));
        }
    }

    private void maybeExpandIsr(int follower, FollowerPosition position) {
        if (pendingIsr != null || state.isr().contains(follower)) {
            return;
        }
        if (position.logEndOffset >= log.highWatermark() && position.logEndOffset >= epochStartOffset) {
            List<Integer> grown = new ArrayList<>(state.isr());
            grown.add(follower);
            proposeIsr(grown);
        }
    }

    private void scheduleIsrCheck() {
        long period = Math.max(1, ctx.config().replicaLagTimeMaxMs() / 2);
        isrCheck = ctx.scheduler().schedule(period, this::checkIsr);
    }

    /** Asks to drop the followers that have not caught up for longer than the lag allows; reschedules itself. */
    private void checkIsr() {
        synchronized (this) {
            if (closed || !leading) {
                return;
            }
            scheduleIsrCheck();
            if (pendingIsr != null) {
                return;
            }
            long now = ctx.scheduler().nowMs();
            long end = log.logEndOffset();
            List<Integer> kept = new ArrayList<>();
            for (int id : state.isr()) {
                FollowerPosition p = followers.get(id);
                boolean lagging = p != null && p.logEndOffset < end
                        && now - p.lastCaughtUpMs > ctx.config().replicaLagTimeMaxMs();
                if (!lagging) {
                    kept.add(id);
                }
            }
            if (kept.size() < state.isr().size()) {
                LOG.info("{}: asking to shrink the in-sync set from {} to {}", partition, state.isr(), kept);
                proposeIsr(kept);
            }
        }
    }

    /** Sends a change of the in-sync set to the controller, and again after a failure, until it is answered. Monitor held. */
    private void proposeIsr(List<Integer> isr) {
        pendingIsr = List.copyOf(isr);
        pendingBase = state;
        // The incarnations whose fetches the proposal rests on, fixed now: a resend must not lend
        // them to a process that restarted since.
        List<Long> incarnations = pendingIsr.stream()
                .map(id -> id == ctx.nodeId() ? ctx.incarnation() : followers.get(id).incarnation).toList();
        sendAlterPartition(new AlterPartition(ctx.nodeId(), pendingBase, pendingIsr, incarnations));
    }

    private void sendAlterPartition(AlterPartition proposal) {
        ctx.endpoint().send(ctx.controllerId(), ReplicationProtocol.encode(proposal), ctx.config().requestTimeoutMs(),
                (response, failure) -> onAlterPartitionResponse(proposal, response, failure));
    }

    private void onAlterPartitionResponse(AlterPartition proposal, ByteBuffer response, TransportException failure) {
        if (failure != null) {
            synchronized (this) {
                if (!closed && leading && pendingBase == proposal.base()) {
                    // The controller may have taken the change and lost the answer: keep counting the
                    // proposed members, and ask again (a stale answer then brings the current state).
                    ctx.scheduler().schedule(ctx.config().retryBackoffMs(), () -> resendAlterPartition(proposal));
                }
            }
            return;
        }
        AlterPartitionResponse answer = ReplicationProtocol.decodeAlterPartitionResponse(response);
        synchronized (this) {
            if (pendingBase == proposal.base()) {
                pendingIsr = null;
                pendingBase = null;
            }
        }
        apply(answer.state());
    }

    private void resendAlterPartition(AlterPartition proposal) {
        synchronized (this) {
            if (closed || !leading || pendingBase != proposal.base()) {
                return;
            }
            sendAlterPartition(proposal);
        }
    }

    // ---- follower -----------------------------------------------------------------------------

    /** Whether this copy follows a leader it can fetch from now. Monitor held. */
    boolean followsLocked() {
        return !closed && !leading && state != null && state.leader() != PartitionState.NO_LEADER;
    }

    /** This copy's storage failed while following: it stops, and its node leaves. Monitor held. */
    void storageFailedLocked(StorageException e) {
        LOG.error("{}: the copy on node {} failed; it stops fetching", partition, ctx.nodeId(), e);
        closed = true;
        ctx.scheduler().schedule(0, ctx.storageFailed());
    }

    @Override
    public void close() {
        underMonitor(after -> {
            if (closed) {
                return;
            }
            closed = true;
            leading = false;
            fetcher.restart();
            failLeaderWork(after, new NotLeaderException(partition + "'s copy on node " + ctx.nodeId() + " closed"));
        });
    }
}
