package dev.cairn.log.internal.replica;

import dev.cairn.cluster.TransportException;
import dev.cairn.common.StorageException;
import dev.cairn.log.InvalidBatchException;
import dev.cairn.log.TopicPartition;
import dev.cairn.log.internal.replica.ReplicationProtocol.Fetch;
import dev.cairn.log.internal.replica.ReplicationProtocol.FetchResponse;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The follower side of a {@link PartitionReplica}: fetches from the leader with the copy's log end
 * offset and the epoch of its last record, one fetch at a time, and applies the answers: batches
 * appended as they are, the leader's high watermark and log start followed, and, when the leader
 * answers that their histories diverge, a truncation to where they last agreed (by leader epoch,
 * never by high watermark alone) before the next fetch.
 *
 * <p>Thread-safety: guarded by the replica's monitor. A generation changes with every change of
 * the replica's state, so the answer to a fetch sent under an older state is ignored.
 */
final class FollowerFetcher {
    private static final Logger LOG = LoggerFactory.getLogger(FollowerFetcher.class);

    private final PartitionReplica replica;
    private final ReplicaContext ctx;
    private final ReplicaLog log;
    private final TopicPartition partition;
    private long generation;
    private boolean inFlight;

    FollowerFetcher(PartitionReplica replica, ReplicaContext ctx, ReplicaLog log) {
        this.replica = replica;
        this.ctx = ctx;
        this.log = log;
        this.partition = log.topicPartition();
    }

    /** Forgets the fetch in flight, if any: the replica's state changed. Replica's monitor held. */
    void restart() {
        generation++;
        inFlight = false;
    }

    /** Sends the next fetch to the leader, unless one is in flight or this copy does not follow. */
    void fetch() {
        synchronized (replica) {
            if (inFlight || !replica.followsLocked()) {
                return;
            }
            inFlight = true;
            long sentIn = generation;
            PartitionState state = replica.state();
            Fetch request = new Fetch(ctx.nodeId(), ctx.incarnation(), partition, state.leaderEpoch(),
                    log.logEndOffset(), log.latestEpoch(), ctx.config().fetchMaxWaitMs(), ctx.config().fetchMaxBytes());
            ctx.endpoint().send(state.leader(), ReplicationProtocol.encode(request), ctx.config().requestTimeoutMs(),
                    (response, failure) -> onFetchResponse(sentIn, request, response, failure));
        }
    }

    private void onFetchResponse(long sentIn, Fetch request, ByteBuffer response, TransportException failure) {
        boolean again;
        synchronized (replica) {
            if (sentIn != generation || !replica.followsLocked()) {
                return;
            }
            inFlight = false;
            again = failure == null && applyFetched(request, ReplicationProtocol.decodeFetchResponse(response));
        }
        if (again) {
            fetch();
        } else {
            ctx.scheduler().schedule(ctx.config().retryBackoffMs(), this::fetch);
        }
    }

    /** Applies a fetch's answer to the log; whether to fetch again at once (else after a backoff). Replica's monitor held. */
    private boolean applyFetched(Fetch request, FetchResponse r) {
        try {
            switch (r.error()) {
                case NONE -> {
                    if (r.diverged()) {
                        truncateToDivergence(r);
                    } else if (r.records().hasRemaining()) {
                        log.appendAsFollower(r.records());
                    }
                    if (!r.diverged() && r.logStartOffset() > log.logStartOffset()) {
                        log.advanceLogStartOffset(r.logStartOffset());
                    }
                    log.highWatermark(Math.min(r.highWatermark(), log.logEndOffset()));
                    return true;
                }
                case OFFSET_OUT_OF_RANGE -> {
                    if (request.fetchOffset() < r.logStartOffset()) {
                        log.truncateFullyAndStartAt(r.logStartOffset());
                    } else if (request.fetchOffset() > r.logEndOffset()) {
                        // Only after an unclean election: the new leader has less than this copy.
                        LOG.warn("{}: log end {} is past the leader's {}; truncating (unclean leader election)",
                                partition, request.fetchOffset(), r.logEndOffset());
                        log.truncateTo(r.logEndOffset());
                    }
                    return true;
                }
                default -> {
                    return false; // a leader change is on its way: the controller's state brings it
                }
            }
        } catch (InvalidBatchException e) {
            LOG.warn("{}: a fetched batch from node {} was refused: {}", partition, replica.state().leader(),
                    e.getMessage());
            return false;
        } catch (StorageException e) {
            replica.storageFailedLocked(e);
            return false;
        }
    }

    /**
     * Truncates where this copy's history leaves the leader's (Kafka's KIP-101 and KIP-279): to the
     * end of the leader's answer epoch if this copy knows that epoch, else to the end of the
     * newest epoch it has below it, and fetches again with that epoch to check once more.
     */
    private void truncateToDivergence(FetchResponse r) {
        if (r.divergingEpoch() < 0) {
            log.truncateFullyAndStartAt(r.logStartOffset());
            return;
        }
        EpochEndOffset mine = log.endOffsetFor(r.divergingEpoch());
        long to;
        if (mine.isUndefined()) {
            to = Math.min(r.divergingEndOffset(), log.logEndOffset());
        } else if (mine.epoch() == r.divergingEpoch()) {
            to = Math.min(r.divergingEndOffset(), mine.endOffset());
        } else {
            to = mine.endOffset();
        }
        LOG.info("{}: history diverges from the leader's at epoch {}; truncating from {} to {}", partition,
                r.divergingEpoch(), log.logEndOffset(), to);
        log.truncateTo(to);
    }
}
