package dev.cairn.log.internal;

import dev.cairn.common.ClosedException;
import dev.cairn.common.CairnException;
import dev.cairn.log.AutoOffsetReset;
import dev.cairn.log.Consumer;
import dev.cairn.log.ConsumerConfig;
import dev.cairn.log.ConsumerRecord;
import dev.cairn.log.OffsetCommitCallback;
import dev.cairn.log.OffsetOutOfRangeException;
import dev.cairn.log.RebalanceListener;
import dev.cairn.log.RecordHandler;
import dev.cairn.log.TopicPartition;
import dev.cairn.log.UnknownTopicException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Consumer} of a {@link DefaultLog}: positions per owned partition, group membership
 * through the {@link GroupCoordinator}, and parking on the log's {@link AppendSignal}.
 *
 * <p>Invariants: {@code positions.keySet()} and {@code paused} are subsets of the owned
 * partitions; the callbacks of {@link #commitAsync} wait in {@code completedCommits} in the order
 * the commits were made, and run only on the owner thread.
 *
 * <p>Not thread-safe (one thread uses it), except {@link #wakeup()}. As in Kafka, a second thread
 * that enters a method while one is inside gets a {@link ConcurrentModificationException} and
 * changes nothing (an owner-thread marker, {@link #acquire()} and {@link #release()}).
 */
final class LogConsumer implements Consumer {
    private static final AtomicLong IDS = new AtomicLong();
    private static final Logger LOG = LoggerFactory.getLogger(LogConsumer.class);
    private static final VarHandle OWNER;

    static {
        try {
            OWNER = MethodHandles.lookup().findVarHandle(LogConsumer.class, "owner", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private enum Mode { NONE, ASSIGNED, SUBSCRIBED }

    private final DefaultLog log;
    private final ConsumerConfig config;
    private final String memberId = String.format("member-%08d", IDS.incrementAndGet());
    private final AtomicBoolean wakeup = new AtomicBoolean();
    /**
     * The thread inside a method of this consumer, or null: set by {@link #acquire()} with a CAS,
     * cleared by {@link #release()} with a release store (through {@link #OWNER}).
     */
    @SuppressWarnings("unused") // accessed through OWNER
    private Thread owner;
    /** How many of this consumer's methods the owner thread is inside; read and written only by the owner. */
    private int depth;
    private Mode mode = Mode.NONE;
    /** The generation of this consumer's group membership while subscribed (see {@link GroupCoordinator}). */
    private long generation = -1;
    private Set<String> topics = Set.of();
    private RebalanceListener listener = RebalanceListener.none();
    private final Set<TopicPartition> owned = new LinkedHashSet<>();
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    /** Owned partitions whose records polls leave alone (Kafka's pause). */
    private final Set<TopicPartition> paused = new LinkedHashSet<>();
    /** The pattern of a pattern subscription, or null; {@link #topics} is what it matched. */
    private Pattern pattern;
    /** The log's {@link DefaultLog#topicsVersion()} when {@link #pattern} was last matched. */
    private long matchedTopicsVersion = -1;
    /** Outcomes of async commits not yet handed to their callbacks, oldest first. */
    private final ArrayDeque<Runnable> completedCommits = new ArrayDeque<>();
    /** Reads the partitions' records into polls, keeping the batches a poll stopped inside. */
    private final Fetcher fetcher;
    private int rotation;
    /** True from the start of {@link #close()}: its revocation listener may still commit, but close is not re-entered. */
    private boolean closing;
    private boolean closed;
    /** True while a poll may be handing records to a {@link RecordHandler}, which must not call back into the consumer. */
    private boolean handling;

    LogConsumer(DefaultLog log, ConsumerConfig config) {
        this.log = log;
        this.config = config;
        this.fetcher = new Fetcher(config.checkCrcs());
    }

    String memberId() {
        return memberId;
    }

    @Override
    public void assign(Collection<TopicPartition> partitions) {
        requireNoNulls(partitions, "partitions");
        acquire();
        try {
            ensureOpen();
            if (mode == Mode.SUBSCRIBED) {
                throw new IllegalStateException("consumer is subscribed to " + topics + "; unsubscribe before assign");
            }
            for (TopicPartition tp : partitions) {
                log.partition(tp);
            }
            mode = Mode.ASSIGNED;
            owned.clear();
            owned.addAll(partitions);
            positions.keySet().retainAll(owned);
            paused.retainAll(owned);
            fetcher.retain(owned);
        } finally {
            release();
        }
    }

    @Override
    public void subscribe(Collection<String> topicNames, RebalanceListener rebalanceListener) {
        requireNoNulls(topicNames, "topics");
        acquire();
        try {
            ensureOpen();
            checkCanSubscribe();
            Objects.requireNonNull(rebalanceListener, "listener");
            topicNames.forEach(DefaultLog::validateName);
            this.pattern = null;
            join(Set.copyOf(topicNames), rebalanceListener);
        } finally {
            release();
        }
    }

    @Override
    public void subscribe(Pattern topicPattern, RebalanceListener rebalanceListener) {
        Objects.requireNonNull(topicPattern, "pattern");
        acquire();
        try {
            ensureOpen();
            checkCanSubscribe();
            Objects.requireNonNull(rebalanceListener, "listener");
            this.pattern = topicPattern;
            matchedTopicsVersion = log.topicsVersion();
            join(matching(topicPattern), rebalanceListener);
        } finally {
            release();
        }
    }

    private void checkCanSubscribe() {
        if (config.groupId() == null) {
            throw new IllegalStateException("subscribe needs a group id; use assign for a consumer without a group");
        }
        if (mode == Mode.ASSIGNED) {
            throw new IllegalStateException("consumer has assigned partitions " + owned + "; unsubscribe first");
        }
    }

    private void join(Set<String> topicNames, RebalanceListener rebalanceListener) {
        // Joined first: a refused join (the group is held over Kafka's protocol) changes nothing here.
        long joined = log.groups().join(config.groupId(), memberId, topicNames, config.sessionTimeoutMs());
        this.topics = topicNames;
        this.listener = rebalanceListener;
        mode = Mode.SUBSCRIBED;
        generation = joined;
    }

    /** The user topics whose whole name matches {@code p}, as Kafka's pattern subscription matches them. */
    private Set<String> matching(Pattern p) {
        Set<String> names = new java.util.TreeSet<>();
        for (String topic : log.topics()) {
            if (p.matcher(topic).matches()) {
                names.add(topic);
            }
        }
        return Set.copyOf(names);
    }

    /**
     * Matches the pattern again if topics were created or deleted since it last was; a changed
     * set updates this member's subscription, which rebalances the group.
     */
    private void rematchPattern() {
        long version = log.topicsVersion();
        if (pattern == null || version == matchedTopicsVersion) {
            return;
        }
        matchedTopicsVersion = version;
        Set<String> now = matching(pattern);
        if (!now.equals(topics)) {
            topics = now;
            log.groups().resubscribe(config.groupId(), memberId, generation, topics);
        }
    }

    @Override
    public void unsubscribe() {
        acquire();
        try {
            ensureOpen();
            if (mode == Mode.SUBSCRIBED) {
                try {
                    giveUpOwned();
                } finally {
                    log.groups().leave(config.groupId(), memberId);
                }
            }
            mode = Mode.NONE;
            owned.clear();
            positions.clear();
            paused.clear();
            fetcher.clear();
            topics = Set.of();
            pattern = null;
        } finally {
            release();
        }
    }

    @Override
    public Set<TopicPartition> assignment() {
        acquire();
        try {
            ensureOpen();
            return Set.copyOf(owned);
        } finally {
            release();
        }
    }

    /**
     * Tells the listener, on leaving the group, that every owned partition is revoked, or lost if
     * the membership expired meanwhile (a commit there would be refused).
     */
    private void giveUpOwned() {
        if (owned.isEmpty()) {
            return;
        }
        if (log.groups().isLive(config.groupId(), memberId, generation)) {
            listener.onPartitionsRevoked(List.copyOf(owned));
        } else {
            listener.onPartitionsLost(List.copyOf(owned));
        }
    }

    /** Performs this member's part of a rebalance: revoke (or drop what was lost), release, claim. */
    private void syncGroup() {
        rematchPattern();
        GroupCoordinator groups = log.groups();
        GroupCoordinator.Revocation revocation = groups.revocations(config.groupId(), memberId, generation, topics,
                config.sessionTimeoutMs(), owned);
        Set<TopicPartition> revoke = revocation.partitions();
        if (revocation.lost()) {
            // The old membership is gone whatever the listener does: drop its partitions, then
            // take the new generation, so a commit in the listener is refused (as in Kafka).
            try {
                if (!revoke.isEmpty()) {
                    listener.onPartitionsLost(List.copyOf(revoke));
                }
            } finally {
                drop(revoke);
                generation = revocation.generation();
            }
        } else if (!revoke.isEmpty()) {
            // As Kafka: partitions whose topic was deleted under the member cannot be handed over
            // (nor their offsets committed), so they are lost rather than revoked.
            List<TopicPartition> gone = new ArrayList<>();
            List<TopicPartition> handedOver = new ArrayList<>();
            for (TopicPartition tp : revoke) {
                (log.partitionCount(tp.topic()) > tp.partition() ? handedOver : gone).add(tp);
            }
            try {
                if (!gone.isEmpty()) {
                    listener.onPartitionsLost(List.copyOf(gone));
                }
                if (!handedOver.isEmpty()) {
                    listener.onPartitionsRevoked(List.copyOf(handedOver));
                }
            } finally {
                // A deleted topic's partitions are dropped even if the listener threw; the others
                // stay owned until their revocation listener returns, as before.
                drop(new LinkedHashSet<>(gone));
                groups.release(config.groupId(), memberId, new LinkedHashSet<>(gone));
            }
            drop(new LinkedHashSet<>(handedOver));
            groups.release(config.groupId(), memberId, new LinkedHashSet<>(handedOver));
        }
        Set<TopicPartition> claimed = groups.claim(config.groupId(), memberId, owned);
        if (!claimed.isEmpty()) {
            owned.addAll(claimed);
            listener.onPartitionsAssigned(List.copyOf(claimed));
        }
    }

    private void drop(Set<TopicPartition> partitions) {
        owned.removeAll(partitions);
        positions.keySet().removeAll(partitions);
        paused.removeAll(partitions);
        fetcher.forget(partitions);
    }

    @Override
    public List<ConsumerRecord> poll(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        acquire();
        try {
            ensureOpen();
            Fetcher.RecordListSink sink = new Fetcher.RecordListSink(config.maxPollRecords());
            poll(timeout, sink);
            return sink.records;
        } finally {
            release();
        }
    }

    @Override
    public int poll(Duration timeout, RecordHandler handler) {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(handler, "handler");
        acquire();
        try {
            Fetcher.HandlerSink sink = new Fetcher.HandlerSink(config.maxPollRecords(), handler);
            ensureOpen();
            poll(timeout, sink);
            return sink.count;
        } finally {
            release();
        }
    }

    private void poll(Duration timeout, Fetcher.PollSink sink) {
        if (mode == Mode.NONE) {
            throw new IllegalStateException("consumer is neither subscribed nor assigned any partitions");
        }
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        runCommitCallbacks();
        AppendSignal signal = log.signal();
        while (true) {
            long seen = signal.version();
            if (mode == Mode.SUBSCRIBED) {
                syncGroup();
            }
            handling = sink.handsOverAtOnce();
            try {
                fetch(sink);
            } finally {
                handling = false;
            }
            if (sink.count > 0 || wakeup.getAndSet(false)) {
                return;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return;
            }
            try {
                signal.await(seen, remaining);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CairnException("poll interrupted", e);
            }
            if (log.isClosed()) {
                throw new ClosedException("log");
            }
        }
    }

    private void fetch(Fetcher.PollSink sink) {
        List<TopicPartition> order = new ArrayList<>(owned);
        int n = order.size();
        // Positions before this poll, restored if it fails before returning a list of records.
        long[] before = new long[n];
        Arrays.fill(before, -1);
        for (int i = 0; i < n && !sink.full(); i++) {
            TopicPartition tp = order.get((rotation + i) % n);
            if (paused.contains(tp)) {
                continue;
            }
            PartitionLog partition;
            try {
                partition = log.partition(tp);
            } catch (UnknownTopicException | IllegalArgumentException gone) {
                continue; // deleted since assigned; the next rebalance drops it
            }
            long position = positionOf(tp, partition);
            before[i] = position;
            sink.resumeAt = -1;
            try {
                long next;
                try {
                    next = fetcher.fetch(tp, partition, position, sink);
                } catch (OffsetOutOfRangeException e) {
                    next = fetcher.fetch(tp, partition, reset(tp, partition, e), sink);
                }
                positions.put(tp, next);
            } catch (RuntimeException e) {
                fetcher.forget(List.of(tp));
                if (sink.handsOverAtOnce()) {
                    // A handler failed (or a read did): go on later from the first record not handled.
                    if (sink.resumeAt >= 0) {
                        positions.put(tp, sink.resumeAt);
                    }
                } else if (sink.count > 0 && !(e instanceof ClosedException)) {
                    // As Kafka's consumer: a read that fails after records were collected returns
                    // them; the next poll starts at the failing read and raises its error.
                    positions.put(tp, resumeAfter((Fetcher.RecordListSink) sink, tp, position));
                    break;
                } else {
                    restorePositions(order, before, i);
                }
                throw e;
            }
        }
        rotation = n == 0 ? 0 : (rotation + 1) % n;
    }

    /** The offset after the last record of {@code tp} a list poll collected, or {@code position} if none. */
    private static long resumeAfter(Fetcher.RecordListSink sink, TopicPartition tp, long position) {
        List<ConsumerRecord> records = sink.records;
        ConsumerRecord last = records.get(records.size() - 1);
        return last.topic().equals(tp.topic()) && last.partition() == tp.partition() ? last.offset() + 1 : position;
    }

    /**
     * Un-reads the partitions a failed list poll read before the {@code failed}-th of this
     * poll's order: their records are never returned, so their positions go back.
     */
    private void restorePositions(List<TopicPartition> order, long[] before, int failed) {
        for (int j = 0; j < failed; j++) {
            if (before[j] >= 0) {
                positions.put(order.get((rotation + j) % order.size()), before[j]);
            }
        }
    }

    private long positionOf(TopicPartition tp, PartitionLog partition) {
        Long position = positions.get(tp);
        if (position != null) {
            return position;
        }
        long start;
        OptionalLong committed = config.groupId() == null ? OptionalLong.empty()
                : log.offsets().committed(config.groupId(), tp);
        if (committed.isPresent()) {
            start = committed.getAsLong();
        } else if (config.autoOffsetReset() == AutoOffsetReset.EARLIEST) {
            start = partition.beginningOffset();
        } else if (config.autoOffsetReset() == AutoOffsetReset.LATEST) {
            start = partition.visibleEnd();
        } else {
            throw new IllegalStateException("no committed offset for " + tp + " in group " + config.groupId()
                    + " and autoOffsetReset is NONE: seek first");
        }
        positions.put(tp, start);
        return start;
    }

    private long reset(TopicPartition tp, PartitionLog partition, OffsetOutOfRangeException e) {
        long position = switch (config.autoOffsetReset()) {
            case EARLIEST -> partition.beginningOffset();
            case LATEST -> partition.visibleEnd();
            case NONE -> throw e;
        };
        positions.put(tp, position);
        return position;
    }

    /** Names a null argument, or a null element of it, instead of failing later inside the consumer. */
    private static void requireNoNulls(Collection<?> values, String name) {
        Objects.requireNonNull(values, name);
        int i = 0;
        for (Object value : values) {
            if (value == null) {
                throw new NullPointerException(name + " has a null at position " + i);
            }
            i++;
        }
    }

    private void checkOwned(TopicPartition tp) {
        if (!owned.contains(tp)) {
            throw new IllegalStateException(tp + " is not owned by this consumer (owned: " + owned + ")");
        }
    }

    @Override
    public void seek(TopicPartition partition, long offset) {
        Objects.requireNonNull(partition, "partition");
        acquire();
        try {
            ensureOpen();
            checkOwned(partition);
            if (offset < 0) {
                throw new IllegalArgumentException("offset must be >= 0, was " + offset);
            }
            positions.put(partition, offset);
        } finally {
            release();
        }
    }

    @Override
    public void seekToBeginning(Collection<TopicPartition> partitions) {
        seekEach(partitions, PartitionLog::beginningOffset);
    }

    @Override
    public void seekToEnd(Collection<TopicPartition> partitions) {
        seekEach(partitions, PartitionLog::endOffset);
    }

    /** Moves each of {@code partitions} (all owned) to the offset {@code where} picks in its log. */
    private void seekEach(Collection<TopicPartition> partitions, ToLongFunction<PartitionLog> where) {
        requireNoNulls(partitions, "partitions");
        acquire();
        try {
            ensureOpen();
            for (TopicPartition tp : partitions) {
                checkOwned(tp);
                positions.put(tp, where.applyAsLong(log.partition(tp)));
            }
        } finally {
            release();
        }
    }

    @Override
    public long position(TopicPartition partition) {
        acquire();
        try {
            ensureOpen();
            checkOwned(partition);
            return positionOf(partition, log.partition(partition));
        } finally {
            release();
        }
    }

    @Override
    public void commitSync() {
        acquire();
        try {
            ensureOpen();
            runCommitCallbacks();
            commit(ownedPositions());
        } finally {
            release();
        }
    }

    /** The positions of the owned partitions, for a commit of them all. */
    private Map<TopicPartition, Long> ownedPositions() {
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        for (TopicPartition tp : owned) {
            Long position = positions.get(tp);
            // A topic deleted since assigned has no offsets to keep (and the next sync revokes it).
            if (position != null && log.partitionCount(tp.topic()) > tp.partition()) {
                offsets.put(tp, position);
            }
        }
        return offsets;
    }

    @Override
    public void commitAsync() {
        commitAsync(LogConsumer::logFailedCommit);
    }

    @Override
    public void commitAsync(OffsetCommitCallback callback) {
        Objects.requireNonNull(callback, "callback");
        acquire();
        try {
            ensureOpen();
            commitLater(ownedPositions(), callback);
        } finally {
            release();
        }
    }

    @Override
    public void commitAsync(Map<TopicPartition, Long> offsets, OffsetCommitCallback callback) {
        Objects.requireNonNull(offsets, "offsets");
        Objects.requireNonNull(callback, "callback");
        acquire();
        try {
            ensureOpen();
            commitLater(new LinkedHashMap<>(offsets), callback);
        } finally {
            release();
        }
    }

    /**
     * Commits now and queues the outcome for {@code callback}, which runs in a later poll,
     * commitSync or close (as Kafka runs it when the broker's answer has arrived).
     */
    private void commitLater(Map<TopicPartition, Long> offsets, OffsetCommitCallback callback) {
        if (config.groupId() == null) {
            throw new IllegalStateException("commit needs a group id");
        }
        Map<TopicPartition, Long> view = Collections.unmodifiableMap(offsets);
        RuntimeException error = null;
        try {
            commit(offsets);
        } catch (ClosedException e) {
            throw e;
        } catch (RuntimeException e) {
            error = e;
        }
        Exception outcome = error;
        completedCommits.add(() -> callback.onComplete(view, outcome));
    }

    /**
     * Hands every queued async-commit outcome to its callback, oldest first. A callback that
     * throws ends the call it runs in; the outcomes after it wait for the next one.
     */
    private void runCommitCallbacks() {
        Runnable next;
        while ((next = completedCommits.poll()) != null) {
            next.run();
        }
    }

    private static void logFailedCommit(Map<TopicPartition, Long> offsets, Exception exception) {
        if (exception != null) {
            LOG.warn("async commit of {} failed: {}", offsets, exception.toString());
        }
    }

    @Override
    public void pause(Collection<TopicPartition> partitions) {
        requireNoNulls(partitions, "partitions");
        acquire();
        try {
            ensureOpen();
            partitions.forEach(this::checkOwned);
            paused.addAll(partitions);
        } finally {
            release();
        }
    }

    @Override
    public void resume(Collection<TopicPartition> partitions) {
        requireNoNulls(partitions, "partitions");
        acquire();
        try {
            ensureOpen();
            partitions.forEach(this::checkOwned);
            paused.removeAll(partitions);
        } finally {
            release();
        }
    }

    @Override
    public Set<TopicPartition> paused() {
        acquire();
        try {
            ensureOpen();
            return Set.copyOf(paused);
        } finally {
            release();
        }
    }

    @Override
    public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions) {
        return offsetsOf(partitions, PartitionLog::beginningOffset);
    }

    @Override
    public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
        return offsetsOf(partitions, PartitionLog::endOffset);
    }

    private Map<TopicPartition, Long> offsetsOf(Collection<TopicPartition> partitions,
            ToLongFunction<PartitionLog> which) {
        requireNoNulls(partitions, "partitions");
        acquire();
        try {
            ensureOpen();
            Map<TopicPartition, Long> out = new LinkedHashMap<>();
            for (TopicPartition tp : partitions) {
                out.put(tp, which.applyAsLong(log.partition(tp)));
            }
            return Collections.unmodifiableMap(out);
        } finally {
            release();
        }
    }

    @Override
    public OptionalLong currentLag(TopicPartition partition) {
        Objects.requireNonNull(partition, "partition");
        acquire();
        try {
            ensureOpen();
            checkOwned(partition);
            Long position = positions.get(partition);
            if (position == null) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(log.partition(partition).visibleEnd() - position);
        } finally {
            release();
        }
    }

    @Override
    public void commitSync(Map<TopicPartition, Long> offsets) {
        Objects.requireNonNull(offsets, "offsets");
        acquire();
        try {
            ensureOpen();
            runCommitCallbacks();
            commit(offsets);
        } finally {
            release();
        }
    }

    /**
     * Commits for the group; a subscribed member's commit is refused if its membership has ended
     * (fenced, as Kafka's coordinator refuses a stale member id or generation). An empty commit
     * does nothing, as in Kafka.
     */
    private void commit(Map<TopicPartition, Long> offsets) {
        if (config.groupId() == null) {
            throw new IllegalStateException("commit needs a group id");
        }
        if (offsets.isEmpty()) {
            return;
        }
        if (mode == Mode.SUBSCRIBED) {
            log.groups().commit(config.groupId(), memberId, generation,
                    () -> log.offsets().commit(config.groupId(), offsets));
        } else {
            log.offsets().commit(config.groupId(), offsets);
        }
    }

    @Override
    public OptionalLong committed(TopicPartition partition) {
        acquire();
        try {
            ensureOpen();
            if (config.groupId() == null) {
                throw new IllegalStateException("committed offsets need a group id");
            }
            return log.offsets().committed(config.groupId(), partition);
        } finally {
            release();
        }
    }

    @Override
    public void wakeup() {
        wakeup.set(true);
        log.signal().signal();
    }

    private void ensureOpen() {
        if (handling) {
            throw new IllegalStateException("consumer " + memberId + " used from inside its RecordHandler");
        }
        if (closed) {
            throw new ClosedException("consumer " + memberId);
        }
        log.ensureOpen();
    }

    /**
     * Tells the listener its partitions are revoked while the consumer still works (so it can
     * commit there, as Kafka's {@code close} allows), then leaves the group and only then marks
     * the consumer closed. A close from inside that listener returns at once.
     */
    @Override
    public void close() {
        acquire();
        try {
            if (closed || closing) {
                return;
            }
            if (handling) {
                throw new IllegalStateException("consumer " + memberId + " closed from inside its RecordHandler");
            }
            closing = true;
            try {
                if (mode == Mode.SUBSCRIBED && !log.isClosed()) {
                    try {
                        giveUpOwned();
                    } finally {
                        log.groups().leave(config.groupId(), memberId);
                    }
                }
            } finally {
                try {
                    runCommitCallbacks(); // Kafka's close also completes the async commits made before it
                } finally {
                    closed = true;
                    owned.clear();
                    positions.clear();
                    paused.clear();
                    fetcher.clear();
                    completedCommits.clear();
                }
            }
        } finally {
            release();
        }
    }

    /**
     * Marks the calling thread as inside this consumer, or throws if another thread is: Kafka's
     * fail-fast check for a consumer shared between threads. One CAS on the way in; a thread
     * already inside (a listener or handler calling back) only counts the depth.
     */
    private void acquire() {
        Thread me = Thread.currentThread();
        if (!OWNER.compareAndSet(this, null, me)) {
            Thread other = (Thread) OWNER.getAcquire(this);
            if (other != me) {
                throw new ConcurrentModificationException("consumer " + memberId
                        + " is not safe for multi-threaded access: thread " + me.getName()
                        + " entered while thread " + (other == null ? "(just left)" : other.getName())
                        + " was inside it");
            }
        }
        depth++;
    }

    /**
     * Undoes one {@link #acquire}; the outermost one clears the owner with a release store, so the
     * next thread's CAS sees every write this thread made to the consumer.
     */
    private void release() {
        if (--depth == 0) {
            OWNER.setRelease(this, (Thread) null);
        }
    }
}
