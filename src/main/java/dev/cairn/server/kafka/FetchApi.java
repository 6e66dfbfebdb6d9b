package dev.cairn.server.kafka;

import dev.cairn.common.CairnException;
import dev.cairn.log.OffsetOutOfRangeException;
import dev.cairn.log.RecordBatches;
import dev.cairn.log.TopicPartition;
import dev.cairn.log.UnknownTopicException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchRequestData.FetchTopic;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.FetchableTopicResponse;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * Fetch for consumers: the stored record batches of each asked partition from the one holding its
 * fetch offset ({@link dev.cairn.log.Log#readBatches}: Kafka's v2 batches, served as stored),
 * whole batches within the partition's and the response's byte limits (but at least one batch in
 * the response, whatever its size, so a large batch cannot stall a consumer: Kafka's rule since
 * KIP-74). When fewer than {@code min.bytes} are there, the request is
 * parked, holding no thread, on the log's {@code awaitAppend} futures of its partitions, and
 * answered when an append brings enough bytes or {@code max.wait.ms} passes. Fetch sessions
 * (KIP-227) are not kept: every response is a full one with session id 0, which tells a client to
 * send full requests. Follower fetches are not served (there are no replicas).
 *
 * <p>Stateless; thread-safe. A parked fetch lives in its futures and the scheduled deadline.
 */
final class FetchApi {
    private FetchApi() {
    }

    /** One partition of the request, resolved to a name. */
    private record Wanted(String topicName, Uuid topicId, FetchPartition partition) {
    }

    static CompletableFuture<ApiMessage> handle(ServerState state, KafkaRequest request) {
        FetchRequestData data = (FetchRequestData) request.body();
        short version = request.version();
        if (data.replicaId() >= 0 || (data.replicaState() != null && data.replicaState().replicaId() >= 0)) {
            return CompletableFuture.completedFuture(new FetchResponseData()
                    .setErrorCode(Errors.NOT_LEADER_OR_FOLLOWER.code()));
        }
        if (data.sessionId() != 0) {
            return CompletableFuture.completedFuture(new FetchResponseData()
                    .setErrorCode(Errors.FETCH_SESSION_ID_NOT_FOUND.code()));
        }
        List<Wanted> wanted = new ArrayList<>();
        for (FetchTopic topic : data.topics()) {
            String name = version >= 13 ? state.topicIds.nameOf(topic.topicId()) : topic.topic();
            for (FetchPartition p : topic.partitions()) {
                wanted.add(new Wanted(name, topic.topicId(), p));
            }
        }
        Fetch fetch = new Fetch(state, data, version, wanted);
        return fetch.start();
    }

    /** One fetch, perhaps parked: read, and if short of min bytes, wait for appends or the deadline. */
    private static final class Fetch {
        private final ServerState state;
        private final FetchRequestData data;
        private final short version;
        private final List<Wanted> wanted;
        private final long deadlineNanos;
        private final CompletableFuture<ApiMessage> result = new CompletableFuture<>();
        private final List<CompletableFuture<Void>> waits = new ArrayList<>();

        Fetch(ServerState state, FetchRequestData data, short version, List<Wanted> wanted) {
            this.state = state;
            this.data = data;
            this.version = version;
            this.wanted = wanted;
            this.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, data.maxWaitMs()));
        }

        CompletableFuture<ApiMessage> start() {
            attempt();
            if (!result.isDone()) {
                // Parked. A cancelled fetch (its connection closed) stops waiting and forgets its waiters.
                state.parkedFetches.incrementAndGet();
                ScheduledFuture<?> deadline;
                try {
                    deadline = state.timer.schedule(() -> execute(this::attempt), deadlineNanos - System.nanoTime(),
                            TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException e) {
                    deadline = null;
                    result.cancel(false);
                }
                ScheduledFuture<?> scheduled = deadline;
                result.whenComplete((r, e) -> {
                    state.parkedFetches.decrementAndGet();
                    if (scheduled != null) {
                        scheduled.cancel(false);
                    }
                    if (e instanceof CancellationException) {
                        synchronized (this) {
                            cancelWaits();
                        }
                    }
                });
            }
            return result;
        }

        /**
         * Reads; answers if there is enough, the time is up, or a partition has an error; else parks
         * on the partitions' append futures, each of which calls this again.
         */
        private synchronized void attempt() {
            if (result.isDone()) {
                return;
            }
            cancelWaits();
            // As a broker, a fetch that asks for no partition is answered at once: nothing could fill it.
            boolean wait = !wanted.isEmpty() && data.minBytes() > 0 && System.nanoTime() - deadlineNanos < 0;
            if (wait) {
                // Registered before the read, so an append between the read and the wait still wakes us.
                for (Wanted w : wanted) {
                    if (w.topicName() == null) {
                        continue;
                    }
                    try {
                        CompletableFuture<Void> f = state.log.awaitAppend(
                                new TopicPartition(w.topicName(), w.partition().partition()),
                                w.partition().fetchOffset());
                        waits.add(f);
                        f.whenComplete((v, e) -> {
                            if (!(e instanceof CancellationException)) {
                                execute(this::attempt);
                            }
                        });
                    } catch (CairnException | IllegalArgumentException e) {
                        // The read below reports the partition's error, which answers at once.
                    }
                }
            }
            Read read = read();
            if (!wait || read.bytes() >= data.minBytes() || read.hasError()) {
                cancelWaits();
                result.complete(read.response());
            }
        }

        /** Runs {@code task} on a handler thread; none when the server is closing, which cancels the fetch. */
        private void execute(Runnable task) {
            try {
                state.handlers.execute(task);
            } catch (RejectedExecutionException e) {
                result.cancel(false);
            }
        }

        private void cancelWaits() {
            for (CompletableFuture<Void> f : waits) {
                f.cancel(false);
            }
            waits.clear();
        }

        private record Read(FetchResponseData response, int bytes, boolean hasError) {
        }

        private Read read() {
            FetchResponseData response = new FetchResponseData().setSessionId(0);
            int budget = data.maxBytes() > 0 ? data.maxBytes() : Integer.MAX_VALUE;
            int total = 0;
            boolean anyError = false;
            FetchableTopicResponse current = null;
            for (Wanted w : wanted) {
                if (current == null || !sameTopic(current, w)) {
                    current = new FetchableTopicResponse();
                    if (version >= 13) {
                        current.setTopicId(w.topicId());
                    } else {
                        current.setTopic(w.topicName());
                    }
                    response.responses().add(current);
                }
                PartitionData p = readPartition(w, Math.min(budget - total, w.partition().partitionMaxBytes()),
                        total == 0);
                anyError |= p.errorCode() != Errors.NONE.code();
                total += p.records() == null ? 0 : p.records().sizeInBytes();
                current.partitions().add(p);
            }
            return new Read(response, total, anyError);
        }

        private boolean sameTopic(FetchableTopicResponse topic, Wanted w) {
            return version >= 13 ? topic.topicId().equals(w.topicId()) : topic.topic().equals(w.topicName());
        }

        private PartitionData readPartition(Wanted w, int maxBytes, boolean firstInResponse) {
            FetchPartition asked = w.partition();
            PartitionData p = new PartitionData().setPartitionIndex(asked.partition()).setRecords(MemoryRecords.EMPTY);
            if (w.topicName() == null) {
                return p.setErrorCode(Errors.UNKNOWN_TOPIC_ID.code()).setHighWatermark(-1);
            }
            TopicPartition tp = new TopicPartition(w.topicName(), asked.partition());
            try {
                // The stored batches as they are, from the one holding the fetch offset (the client
                // skips the records before it, as with a Kafka broker).
                RecordBatches batches = state.log.readBatches(tp, asked.fetchOffset(), Math.max(1, maxBytes));
                long end = batches.endOffset();
                p.setHighWatermark(end).setLastStableOffset(end).setLogStartOffset(batches.beginningOffset());
                int bytes = batches.bytes().remaining();
                if (bytes > 0 && (bytes <= maxBytes || firstInResponse)) {
                    p.setRecords(MemoryRecords.readableRecords(batches.bytes()));
                }
                return p;
            } catch (OffsetOutOfRangeException e) {
                return p.setErrorCode(Errors.OFFSET_OUT_OF_RANGE.code()).setHighWatermark(safeEnd(tp))
                        .setLogStartOffset(-1);
            } catch (UnknownTopicException | IllegalArgumentException e) {
                Errors error = version >= 13 ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION;
                return p.setErrorCode(error.code()).setHighWatermark(-1);
            } catch (CairnException e) {
                return p.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code()).setHighWatermark(-1);
            }
        }

        private long safeEnd(TopicPartition tp) {
            try {
                return state.log.endOffset(tp);
            } catch (CairnException | IllegalArgumentException e) {
                return -1;
            }
        }
    }
}
