package dev.cairn.dictionary.internal;

import dev.cairn.common.ClosedException;
import dev.cairn.common.CorruptFileException;
import dev.cairn.common.StorageException;
import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.DictionaryStats;
import dev.cairn.dictionary.SnapshotRules;
import dev.cairn.dictionary.command.CommandTable;
import dev.cairn.dictionary.persistence.AppendOnlyFile;
import dev.cairn.dictionary.persistence.PersistenceFiles;
import dev.cairn.dictionary.persistence.SnapshotReader;
import dev.cairn.dictionary.persistence.SnapshotWriter;
import dev.cairn.storage.Storage;
import dev.cairn.storage.segment.SegmentedFileOptions;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dictionary's persistence: recovery at open (snapshot, then the append-only parts after it),
 * the {@link WriteSink} that appends every committed entry, and the snapshot thread that writes
 * point-in-time snapshots by the {@link SnapshotRules} or on demand.
 *
 * <p>A snapshot takes the command lock three times over: once to start (a new append-only part
 * and the copy-on-write barrier), once per slice of buckets (capturing keys, a few microseconds
 * each), and once to end. Between slices writers run; a key they change before its slice is
 * captured keeps its old state for the snapshot ({@link SnapshotBarrier}). Serialization and file
 * I/O run outside the lock.
 *
 * <p>A failed append or fsync stops the sink: the failing command and every later write get a
 * {@link StorageException} (reads go on), and after a restart the dictionary holds what was made
 * durable.
 *
 * <p>Thread-safety: {@link #commit} runs under the command lock; {@link #awaitDurable} on the
 * committing thread after it; the rest is safe from any thread.
 */
final class DictionaryPersistence implements WriteSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DictionaryPersistence.class);
    /** Buckets captured per hold of the command lock during a snapshot. */
    private static final int SLICE_BUCKETS = 128;

    private final Engine engine;
    private final Storage storage;
    private final PersistenceFiles files;
    private final AppendOnlyFile aof;
    private final InstantSource clock;
    private final SnapshotRules rules;
    private final long snapshotKeysLoaded;
    private final long entriesReplayed;
    private final long recoveryMs;

    private volatile RuntimeException failure;
    private volatile long lastMark;
    /** Writes since the last snapshot started; written under the command lock. */
    private volatile long changesSinceSnapshot;
    private volatile long snapshotsCompleted;
    private volatile long lastSnapshotAtMs;
    private volatile long lastSnapshotDurationMs = -1;
    private final long openedAtMs;

    private final ReentrantLock scheduleLock = new ReentrantLock();
    private final Condition wake = scheduleLock.newCondition();
    private final List<CompletableFuture<Void>> requests = new ArrayList<>();
    private boolean closing;
    private final Thread snapshotThread;

    private DictionaryPersistence(Engine engine, Storage storage, PersistenceFiles files,
            PersistenceFiles.Recovery recovery, InstantSource clock, SnapshotRules rules, long recoveryMs) {
        this.engine = engine;
        this.storage = storage;
        this.files = files;
        this.aof = recovery.aof();
        this.clock = clock;
        this.rules = rules;
        this.snapshotKeysLoaded = recovery.snapshotKeys();
        this.entriesReplayed = recovery.entriesReplayed();
        this.recoveryMs = recoveryMs;
        this.openedAtMs = clock.millis();
        this.lastSnapshotAtMs = -1;
        this.snapshotThread = new Thread(this::scheduleSnapshots, "cairn-dictionary-snapshot");
        this.snapshotThread.setDaemon(true);
    }

    /**
     * Recovers {@code dictionary} (whose engine is {@code engine}, empty and without a sink) from
     * {@code directory}, then attaches the append-only file as its sink and starts the snapshot
     * thread.
     */
    static DictionaryPersistence open(Dictionary dictionary, Engine engine, Storage storage, Path directory,
            SegmentedFileOptions options, SnapshotRules rules, InstantSource clock) {
        long startNanos = System.nanoTime();
        PersistenceFiles files = PersistenceFiles.open(storage, directory, options);
        CommandTable table = CommandTable.dictionary();
        PersistenceFiles.Recovery recovery;
        engine.begin();
        try {
            engine.replaying(true);
            long[] entry = {0};
            recovery = files.recover(reader -> load(engine, reader, directory),
                    commands -> {
                        for (List<byte[]> command : commands) {
                            try {
                                table.replay(dictionary, command);
                            } catch (RuntimeException e) {
                                throw new StorageException("replaying append-only entry " + entry[0] + " of "
                                        + directory + " failed: " + e.getMessage(), e);
                            }
                        }
                        entry[0]++;
                    });
            engine.replaying(false);
        } catch (RuntimeException e) {
            engine.replaying(false);
            engine.mutating();
            engine.keyspace = new Keyspace();
            throw e;
        } finally {
            engine.endQuietly();
        }
        long recoveryMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        DictionaryPersistence persistence = new DictionaryPersistence(engine, storage, files, recovery, clock, rules,
                recoveryMs);
        engine.begin();
        try {
            engine.attachSink(persistence);
        } finally {
            engine.endQuietly();
        }
        persistence.snapshotThread.start();
        LOG.info("dictionary at {} recovered in {} ms: {} keys from snapshot, {} entries replayed", directory,
                recoveryMs, recovery.snapshotKeys(), recovery.entriesReplayed());
        return persistence;
    }

    /** Loads every record into a fresh keyspace, adopted only once the reader verified the whole file. */
    private static void load(Engine engine, SnapshotReader reader, Path directory) {
        Keyspace loaded = new Keyspace();
        String file = directory.resolve("snapshot").toString();
        while (reader.next()) {
            if (loaded.find(reader.key()) != null) {
                throw new CorruptFileException(file, reader.recordPosition(), "key " + reader.key() + " appears twice");
            }
            loaded.put(reader.key(), SnapshotCodec.restore(reader, file), reader.deadlineMs());
        }
        engine.mutating();
        engine.keyspace = loaded;
    }

    // ---------------------------------------------------------------- WriteSink

    @Override
    public void commit(WriteEntry entry) {
        RuntimeException failed = failure;
        if (failed != null) {
            throw new StorageException("the append-only file failed earlier: " + failed.getMessage(), failed);
        }
        try {
            lastMark = aof.append(entry.commands());
            changesSinceSnapshot++;
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        }
    }

    @Override
    public long lastMark() {
        return lastMark;
    }

    @Override
    public void awaitDurable(long mark) {
        try {
            aof.awaitDurable(mark);
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        }
    }

    @Override
    public RuntimeException failure() {
        return failure;
    }

    // ---------------------------------------------------------------- snapshots

    /** Asks the snapshot thread for a snapshot and waits for it. */
    void snapshot() {
        if (engine.lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("a snapshot cannot be taken inside a transaction or command");
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        scheduleLock.lock();
        try {
            if (closing) {
                throw new ClosedException("dictionary");
            }
            requests.add(done);
            wake.signal();
        } finally {
            scheduleLock.unlock();
        }
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting for a snapshot", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new StorageException("snapshot failed: " + e.getCause(), e.getCause());
        }
    }

    private void scheduleSnapshots() {
        while (true) {
            List<CompletableFuture<Void>> waiting;
            scheduleLock.lock();
            try {
                if (!closing && requests.isEmpty()) {
                    wake.await(1, TimeUnit.SECONDS);
                }
                if (closing) {
                    requests.forEach(r -> r.completeExceptionally(new ClosedException("dictionary")));
                    requests.clear();
                    return;
                }
                waiting = new ArrayList<>(requests);
                requests.clear();
            } catch (InterruptedException e) {
                return;
            } finally {
                scheduleLock.unlock();
            }
            if (waiting.isEmpty() && !rulesAskForSnapshot()) {
                continue;
            }
            try {
                writeSnapshot();
                waiting.forEach(r -> r.complete(null));
            } catch (RuntimeException e) {
                if (!(e instanceof ClosedException)) {
                    LOG.error("snapshot of {} failed; the previous one stays in use", files.directory(), e);
                }
                waiting.forEach(r -> r.completeExceptionally(e));
            }
        }
    }

    private boolean rulesAskForSnapshot() {
        if (failure != null) {
            return false;
        }
        long changes = changesSinceSnapshot;
        long since = lastSnapshotAtMs >= 0 ? lastSnapshotAtMs : openedAtMs;
        long elapsedMs = clock.millis() - since;
        for (SnapshotRules.SaveRule rule : rules.saveRules()) {
            if (changes >= rule.changes() && elapsedMs >= rule.seconds() * 1000) {
                return true;
            }
        }
        return rules.appendOnlyBytes() > 0 && changes > 0 && files.appendOnlyBytes(aof) > rules.appendOnlyBytes();
    }

    private void writeSnapshot() {
        long startNanos = System.nanoTime();
        long startMs = clock.millis();
        PersistenceFiles.SnapshotTarget target;
        SnapshotBarrier barrier;
        long changesAtStart;
        engine.begin();
        try {
            target = files.beginSnapshot(aof);
            barrier = engine.startSnapshot();
            changesAtStart = changesSinceSnapshot;
        } finally {
            engine.endQuietly();
        }
        boolean stopped = false;
        try (SnapshotWriter writer = SnapshotWriter.begin(storage.fs(), target.path(), target.id(), target.sequence(),
                startMs)) {
            while (!stopped) {
                List<SnapshotBarrier.Item> items;
                engine.begin();
                try {
                    items = barrier.nextSlice(SLICE_BUCKETS);
                    if (barrier.finished()) {
                        engine.stopSnapshot(barrier);
                        stopped = true;
                        changesSinceSnapshot -= changesAtStart;
                    }
                } finally {
                    engine.endQuietly();
                }
                for (SnapshotBarrier.Item item : items) {
                    SnapshotCodec.write(writer, item.key(), item.value(), item.deadlineMs());
                }
            }
            writer.finish();
            files.completeSnapshot(target);
        } finally {
            if (!stopped) {
                engine.lock.lock();
                try {
                    engine.stopSnapshot(barrier);
                } finally {
                    engine.unlock();
                }
            }
        }
        lastSnapshotAtMs = startMs;
        lastSnapshotDurationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        snapshotsCompleted++;
    }

    DictionaryStats stats() {
        return new DictionaryStats(true, files.appendOnlyBytes(aof), changesSinceSnapshot, snapshotsCompleted,
                lastSnapshotAtMs, lastSnapshotDurationMs, snapshotKeysLoaded, entriesReplayed, recoveryMs);
    }

    /** Stops the snapshot thread (abandoning a snapshot in progress) and closes the append-only file. */
    @Override
    public void close() {
        scheduleLock.lock();
        try {
            closing = true;
            wake.signalAll();
        } finally {
            scheduleLock.unlock();
        }
        try {
            snapshotThread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        aof.close();
    }
}
