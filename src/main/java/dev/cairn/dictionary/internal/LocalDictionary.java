package dev.cairn.dictionary.internal;

import dev.cairn.common.ClosedException;
import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.BitmapCommands;
import dev.cairn.dictionary.HashCommands;
import dev.cairn.dictionary.KeyCommands;
import dev.cairn.dictionary.KeyEventListener;
import dev.cairn.dictionary.ListCommands;
import dev.cairn.dictionary.SetCommands;
import dev.cairn.dictionary.SortedSetCommands;
import dev.cairn.dictionary.StringCommands;
import dev.cairn.dictionary.Transaction;
import dev.cairn.dictionary.Watch;
import dev.cairn.dictionary.DictionaryStats;
import dev.cairn.dictionary.SnapshotRules;
import dev.cairn.storage.Storage;
import dev.cairn.storage.segment.SegmentedFileOptions;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The in-memory {@link Dictionary}: an {@link Engine} and one instance of each view, plus the
 * background {@link ExpirySweeper}. This is the factory {@code Cairn} wires:
 * {@code new LocalDictionary(clock)} or {@code new LocalDictionary(clock, options)}.
 *
 * <p>Thread-safe: any number of threads may call in; commands run one at a time.
 */
public final class LocalDictionary implements Dictionary {
    /** Numbers dictionaries in creation order: the order {@link #move} locks two of them in. */
    private static final java.util.concurrent.atomic.AtomicLong CREATED = new java.util.concurrent.atomic.AtomicLong();
    private final long creationNumber = CREATED.getAndIncrement();
    private final Engine engine;
    private final KeyCommands keys;
    private final StringCommands strings;
    private final BitmapCommands bitmaps;
    private final HashCommands hashes;
    private final ListCommands lists;
    private final SetCommands sets;
    private final SortedSetCommands sortedSets;
    /** The one handle every transaction block gets (blocks run one at a time and do not nest). */
    private final TransactionImpl transactionHandle;
    private final ExpirySweeper sweeper;
    /** Null for an in-memory dictionary; set once by {@link #open} before the dictionary is shared. */
    private DictionaryPersistence persistence;

    /** A dictionary with the {@link DictionaryOptions#DEFAULT default options}. */
    public LocalDictionary(InstantSource clock) {
        this(clock, DictionaryOptions.DEFAULT);
    }

    public LocalDictionary(InstantSource clock, DictionaryOptions options) {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(options, "options");
        this.engine = new Engine(clock, options.sink());
        this.keys = new KeyCommandsImpl(engine);
        this.strings = new StringCommandsImpl(engine);
        this.bitmaps = new BitmapCommandsImpl(engine);
        this.hashes = new HashCommandsImpl(engine);
        this.lists = new ListCommandsImpl(engine);
        this.sets = new SetCommandsImpl(engine);
        this.sortedSets = new SortedSetCommandsImpl(engine);
        this.transactionHandle = new TransactionImpl(this);
        if (options.sweepInterval() != null && !options.sweepInterval().isZero()) {
            this.sweeper = new ExpirySweeper(engine, options.sweepInterval(), options.sweepBatch());
            this.sweeper.start();
        } else {
            this.sweeper = null;
        }
    }

    /**
     * A persistent dictionary: recovers the state kept in {@code directory} (the newest snapshot,
     * then the append-only file after it), then logs every write there under the durability of
     * {@code fileOptions} and snapshots by {@code rules}. This is the factory {@code Cairn} wires
     * for a dictionary on disk.
     *
     * @throws dev.cairn.common.CorruptFileException if a file is damaged before its tail (unless
     *     {@code fileOptions} ask to truncate there)
     */
    public static LocalDictionary open(Storage storage, Path directory, InstantSource clock, DictionaryOptions options,
            SegmentedFileOptions fileOptions, SnapshotRules rules) {
        LocalDictionary dictionary = new LocalDictionary(clock, options);
        try {
            dictionary.persistence = DictionaryPersistence.open(dictionary, dictionary.engine, storage, directory,
                    fileOptions, rules, clock);
            return dictionary;
        } catch (RuntimeException e) {
            dictionary.close();
            throw e;
        }
    }

    @Override
    public void snapshot() {
        if (persistence == null) {
            throw new IllegalStateException("an in-memory dictionary has no snapshots");
        }
        persistence.snapshot();
    }

    @Override
    public boolean move(String key, Dictionary destination) {
        KeyRules.check(key);
        Objects.requireNonNull(destination, "destination");
        if (!(destination instanceof LocalDictionary target)) {
            throw new IllegalArgumentException("the destination is not a dictionary of a Cairn: " + destination);
        }
        if (target == this) {
            throw new IllegalArgumentException("source and destination objects are the same");
        }
        Engine first = creationNumber < target.creationNumber ? engine : target.engine;
        Engine second = first == engine ? target.engine : engine;
        first.begin();
        try {
            second.begin();
            try {
                return KeyMove.move(engine, target.engine, key);
            } finally {
                second.end();
            }
        } finally {
            first.end();
        }
    }

    @Override
    public void addKeyEventListener(KeyEventListener listener) {
        Objects.requireNonNull(listener, "listener");
        engine.lock.lock();
        try {
            engine.addListener(listener);
        } finally {
            engine.unlock();
        }
    }

    @Override
    public boolean removeKeyEventListener(KeyEventListener listener) {
        engine.lock.lock();
        try {
            return engine.removeListener(listener);
        } finally {
            engine.unlock();
        }
    }

    @Override
    public DictionaryStats stats() {
        DictionaryStats persistenceStats = persistence == null ? DictionaryStats.IN_MEMORY : persistence.stats();
        long[] figures;
        if (engine.isClosed()) {
            figures = closedKeyspaceFigures();
        } else {
            try {
                figures = engine.call(() -> {
                    // Expired keys are removed before counting, as DBSIZE does; not once the
                    // append-only file has failed, when no removal can be logged: the stats answer.
                    if (engine.sink().failure() == null) {
                        engine.sweepExpired(Integer.MAX_VALUE);
                    }
                    return engine.keyspaceFigures();
                });
            } catch (ClosedException closedMeanwhile) {
                figures = closedKeyspaceFigures();
            }
        }
        return persistenceStats.withKeyspace(figures[0], figures[1], figures[2], figures[3], figures[4], figures[5]);
    }

    /** The keyspace figures after close: as they were, nothing removed. */
    private long[] closedKeyspaceFigures() {
        engine.lock.lock();
        try {
            return engine.keyspaceFigures();
        } finally {
            engine.lock.unlock();
        }
    }

    @Override
    public void resetStats() {
        engine.run(engine::resetStats);
    }

    @Override
    public KeyCommands keys() {
        return keys;
    }

    @Override
    public StringCommands strings() {
        return strings;
    }

    @Override
    public BitmapCommands bitmaps() {
        return bitmaps;
    }

    @Override
    public HashCommands hashes() {
        return hashes;
    }

    @Override
    public ListCommands lists() {
        return lists;
    }

    @Override
    public SetCommands sets() {
        return sets;
    }

    @Override
    public SortedSetCommands sortedSets() {
        return sortedSets;
    }

    @Override
    public <T> T transaction(Function<Transaction, T> block) {
        return run(block, true);
    }

    @Override
    public <T> T exclusive(Function<Transaction, T> block) {
        return run(block, false);
    }

    private <T> T run(Function<Transaction, T> block, boolean undoOnFailure) {
        Objects.requireNonNull(block, "block");
        engine.begin();
        try {
            return runBlock(block, undoOnFailure);
        } finally {
            engine.end();
        }
    }

    /**
     * Runs {@code block} as a transaction (undone on failure) or an exclusive block with the
     * dictionary's one handle. Under the command lock.
     */
    private <T> T runBlock(Function<Transaction, T> block, boolean undoOnFailure) {
        if (engine.inTransaction()) {
            throw new IllegalStateException("transactions do not nest");
        }
        transactionHandle.start();
        try {
            return undoOnFailure ? engine.transaction(() -> block.apply(transactionHandle))
                    : engine.exclusive(() -> block.apply(transactionHandle));
        } finally {
            transactionHandle.end();
        }
    }

    @Override
    public Watch watch(String... watchedKeys) {
        KeyRules.checkAll(watchedKeys);
        List<String> list = List.copyOf(new ArrayList<>(List.of(watchedKeys)));
        engine.begin();
        try {
            return engine.watch(list);
        } finally {
            engine.end();
        }
    }

    @Override
    public <T> Optional<T> transaction(Watch watch, Function<Transaction, T> block) {
        return runWatched(watch, block, true);
    }

    @Override
    public <T> Optional<T> exclusive(Watch watch, Function<Transaction, T> block) {
        return runWatched(watch, block, false);
    }

    private <T> Optional<T> runWatched(Watch watch, Function<Transaction, T> block, boolean undoOnFailure) {
        Objects.requireNonNull(block, "block");
        if (!(watch instanceof WatchImpl impl) || impl.engine != engine) {
            throw new IllegalArgumentException("the watch does not belong to this dictionary");
        }
        engine.begin();
        try {
            if (!impl.active) {
                throw new IllegalStateException("the watch was closed or already used");
            }
            for (String key : impl.keys) {
                engine.live(key);
            }
            boolean changed = impl.dirty;
            engine.release(impl);
            if (changed) {
                return Optional.empty();
            }
            return Optional.ofNullable(runBlock(block, undoOnFailure));
        } finally {
            engine.end();
        }
    }

    /**
     * Removes every expired key now, in batches, as the sweeper would; for tests with a manual
     * clock and for callers without a sweeper. Returns nothing; expired keys are invisible anyway.
     */
    public void sweepExpired() {
        engine.begin();
        try {
            engine.sweepExpired(Integer.MAX_VALUE);
        } finally {
            engine.end();
        }
    }

    /** The number of keys with a deadline, expired or not, for tests of the sweeper. */
    int keysWithDeadline() {
        engine.lock.lock();
        try {
            return engine.keyspace.expiries.size();
        } finally {
            engine.unlock();
        }
    }

    /** Whether the sweeper thread is alive, for tests of close. */
    boolean sweeperRunning() {
        return sweeper != null && sweeper.isAlive();
    }

    /** The engine, for tests in this package. */
    Engine engine() {
        return engine;
    }

    @Override
    public void close() {
        engine.close();
        if (sweeper != null) {
            try {
                sweeper.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (persistence != null) {
            persistence.close();
        }
    }
}
