package dev.cairn;

import dev.cairn.common.ClosedException;
import dev.cairn.common.Durability;
import dev.cairn.common.StorageException;
import dev.cairn.common.StorageStats;
import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.SnapshotRules;
import dev.cairn.dictionary.internal.DictionaryOptions;
import dev.cairn.dictionary.internal.LocalDictionary;
import dev.cairn.log.Log;
import dev.cairn.log.internal.DefaultLog;
import dev.cairn.log.internal.LogOptions;
import dev.cairn.log.internal.replica.ReplicationConfig;
import dev.cairn.storage.Storage;
import dev.cairn.storage.StorageMetrics;
import dev.cairn.storage.fs.OverlayFileSystem;
import dev.cairn.storage.segment.RecoveryMode;
import dev.cairn.storage.segment.SegmentedFileOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front door: one data directory (or memory), the storage layer on it and its background
 * threads.
 *
 * <pre>{@code
 * try (Cairn cairn = Cairn.open(Path.of("data"))) {
 *     ...
 * }
 * }</pre>
 *
 * <p>{@link #open(Path)} creates the directory if needed and locks it: a second open of the same
 * directory, from this process or another, fails at once with a
 * {@link dev.cairn.common.StorageException}. {@link #inMemory()} keeps everything in memory:
 * nothing touches the disk and nothing survives {@link #close()}.
 *
 * <p>Thread-safe. {@link #close()} is idempotent and releases everything; any use after it throws
 * {@link ClosedException}.
 */
public final class Cairn implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Cairn.class);

    private final Storage storage;
    /** Storage roots on other disks for copies of replicated topics; opened with this Cairn, closed with it. */
    private final List<Storage> replicaRoots;
    private final boolean uncleanLeaderElection;
    private final boolean inMemory;
    private final InstantSource clock;
    private final Durability durability;
    private final boolean truncateOnCorruption;
    private final SnapshotRules snapshotRules;
    /** Guards the lazy creation of the parts and their closing. */
    private final Object parts = new Object();
    /** The databases opened so far; index 0 is {@link #dictionary()}. Guarded by {@code parts}. */
    private final LocalDictionary[] databases = new LocalDictionary[DATABASES];
    /** Opened on first use by {@link #log()}; guarded by {@code parts}. */
    private DefaultLog log;
    private volatile boolean closed;
    /** Run first by {@link #close()}, last added first: front ends started on this Cairn. */
    private final Deque<AutoCloseable> closeFirst = new ArrayDeque<>();
    /** Registered with a {@link ManualClock}, so that moving it runs what the new time makes due. */
    private final Runnable onClockMove = this::maintainAfterClockMove;
    /** This Cairn's MBeans; null when the builder turned JMX off. */
    private final JmxMetrics jmx;

    private Cairn(Storage storage, List<Storage> replicaRoots, boolean inMemory, Builder builder) {
        this.storage = storage;
        this.replicaRoots = List.copyOf(replicaRoots);
        this.uncleanLeaderElection = builder.uncleanLeaderElection;
        this.inMemory = inMemory;
        this.clock = builder.clock;
        this.durability = builder.durability;
        this.truncateOnCorruption = builder.truncateOnCorruption;
        this.snapshotRules = builder.snapshotRules;
        if (clock instanceof ManualClock manual) {
            manual.addListener(onClockMove);
        }
        String name = builder.metricsName != null ? builder.metricsName
                : inMemory ? "memory" : String.valueOf(storage.root().getFileName());
        this.jmx = builder.jmx ? JmxMetrics.register(this, name) : null;
    }

    /** Opens the data directory {@code directory} with default settings, creating it if needed. */
    public static Cairn open(Path directory) {
        return builder().directory(directory).open();
    }

    /** An in-memory Cairn with default settings. */
    public static Cairn inMemory() {
        return builder().inMemory().open();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The data directory, absolute; for an in-memory Cairn, the name its files have in memory. */
    public Path directory() {
        return storage.root();
    }

    public boolean isInMemory() {
        return inMemory;
    }

    /** The clock every expiry, retention and timestamp decision reads. */
    public InstantSource clock() {
        return clock;
    }

    /** The durability policy used where a topic or the dictionary does not set its own. */
    public Durability defaultDurability() {
        return durability;
    }

    /** Whether recovery truncates corruption found before a file's tail instead of refusing to open. */
    public boolean truncatesOnCorruption() {
        return truncateOnCorruption;
    }

    /** The number of databases {@link #dictionary(int)} offers, as Redis's default {@code databases}. */
    public static final int DATABASES = 16;

    /**
     * The dictionary, opened on first use: database 0 of {@link #dictionary(int)}. On disk it
     * lives in {@code dictionary/} under the data directory: every write goes to its append-only
     * file under {@link #defaultDurability()}, and snapshots follow the builder's
     * {@link Builder#snapshotRules(SnapshotRules) rules}; opening it recovers the newest snapshot
     * and the writes after it. In memory nothing is persisted.
     *
     * @throws ClosedException after {@link #close()}
     */
    public Dictionary dictionary() {
        return dictionary(0);
    }

    /**
     * Database {@code index} (0 to {@value #DATABASES} - 1), opened on first use: each its own
     * keyspace, as Redis's numbered databases, which the Redis server's SELECT reaches. Database 0
     * lives in {@code dictionary/}, database n in {@code dictionary-n/}, each with its own
     * append-only file and snapshots.
     *
     * @throws IllegalArgumentException for an index outside 0..15
     * @throws ClosedException after {@link #close()}
     */
    public Dictionary dictionary(int index) {
        if (index < 0 || index >= DATABASES) {
            throw new IllegalArgumentException("database index must be in [0, " + (DATABASES - 1) + "], got " + index);
        }
        Dictionary database;
        boolean opened = false;
        synchronized (parts) {
            ensureOpen();
            if (databases[index] == null) {
                DictionaryOptions options = DictionaryOptions.DEFAULT;
                if (inMemory) {
                    databases[index] = new LocalDictionary(clock, options);
                } else {
                    SegmentedFileOptions files = SegmentedFileOptions.defaults(".aof").withSegmentBytes(64L << 20)
                            .withDurability(durability).withRecoveryMode(recoveryMode());
                    String name = index == 0 ? "dictionary" : "dictionary-" + index;
                    databases[index] = LocalDictionary.open(storage, storage.root().resolve(name), clock, options,
                            files, snapshotRules);
                }
                opened = true;
            }
            database = databases[index];
        }
        if (opened) {
            refreshJmx();
        }
        return database;
    }

    /** Whether database {@code index} has been opened (by {@link #dictionary(int)}) since this Cairn opened. */
    public boolean isOpen(int index) {
        synchronized (parts) {
            return index >= 0 && index < DATABASES && databases[index] != null;
        }
    }

    private RecoveryMode recoveryMode() {
        return truncateOnCorruption ? RecoveryMode.TRUNCATE_AT_CORRUPTION : RecoveryMode.STRICT;
    }

    /** Counters of the storage layer: fsyncs, failed fsyncs, and what recovery truncated. */
    public StorageStats storageStats() {
        StorageMetrics m = storage.metrics();
        return new StorageStats(m.fsyncs(), m.fsyncFailures(), m.tornTailsTruncated(), m.corruptionsTruncated(),
                m.bytesTruncated());
    }

    /**
     * The figures of this Cairn now: the log's appends, reads and consumer lag, the fsync latency
     * histogram, the storage counters and each open database's keyspace and persistence figures
     * (see docs/metrics.md). Opens nothing: parts not used yet are absent. Cheap enough to call
     * every few seconds; each call reads every partition's counters and every open database's
     * stats (which, as DBSIZE, removes expired keys first).
     *
     * @throws ClosedException after {@link #close()}
     */
    public CairnMetrics metrics() {
        DefaultLog openLog;
        LocalDictionary[] open;
        synchronized (parts) {
            ensureOpen();
            openLog = log;
            open = databases.clone();
        }
        StorageMetrics m = storage.metrics();
        return MetricsCollector.collect(clock.millis(), openLog, open, m.fsyncLatency(), storageStats());
    }

    /** The commit log, kept in {@code <directory>/log}; opened (and recovered) on first use. */
    public Log log() {
        DefaultLog opened;
        synchronized (parts) {
            ensureOpen();
            if (log != null) {
                return log;
            }
            log = DefaultLog.open(storage, storage.root().resolve("log"),
                    LogOptions.of(clock, durability, truncateOnCorruption).withReplicaRoots(replicaRoots)
                            .withReplication(ReplicationConfig.defaults().withUncleanLeaderElection(uncleanLeaderElection)));
            opened = log;
        }
        refreshJmx();
        return opened;
    }

    /** The log if {@link #log()} has opened it, else null; for the metrics. */
    DefaultLog openLog() {
        synchronized (parts) {
            ensureOpen();
            return log;
        }
    }

    /**
     * Brings the MBeans up to date with the topics, groups and databases that exist now (which
     * otherwise happens within a second). Called outside the {@code parts} lock: the MBeans' lock
     * is taken before it.
     */
    void refreshJmx() {
        if (jmx != null) {
            jmx.refresh();
        }
    }

    /** This Cairn's MBeans, or null when JMX is off; for tests. */
    JmxMetrics jmxMetrics() {
        return jmx;
    }

    /** The value of the {@code cairn} key of this Cairn's MBeans, or null when JMX is off. */
    public String metricsName() {
        return jmx == null ? null : jmx.name();
    }

    /**
     * Runs, once and now, the time-driven work that otherwise runs in the background or on next
     * use: the log's retention and compaction on every partition and its removal of consumer-group
     * members whose session ended, and the removal of every expired key of each open database.
     * Parts not yet opened are left alone. A Cairn whose clock is a {@link ManualClock} runs this
     * after every move of the clock.
     *
     * @throws ClosedException after {@link #close()}
     */
    public void runMaintenance() {
        DefaultLog openLog;
        List<LocalDictionary> openDatabases = new ArrayList<>();
        synchronized (parts) {
            ensureOpen();
            openLog = log;
            for (LocalDictionary database : databases) {
                if (database != null) {
                    openDatabases.add(database);
                }
            }
        }
        if (openLog != null) {
            openLog.runMaintenance();
        }
        openDatabases.forEach(LocalDictionary::sweepExpired);
    }

    private void maintainAfterClockMove() {
        try {
            runMaintenance();
        } catch (ClosedException closedMeanwhile) {
            // Closed while the clock moved: nothing left to maintain.
        }
    }

    /** The storage layer; for the log, the dictionary and tests in this module. */
    Storage storage() {
        ensureOpen();
        return storage;
    }

    private void ensureOpen() {
        if (closed) {
            throw new ClosedException("Cairn at " + storage.root());
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Registers {@code resource} to be closed when this Cairn closes, before its stores, so that
     * a front end started on it (a Redis listener) stops serving before what it serves goes away.
     * Resources close in the reverse order of registration; a failure is logged and the rest still
     * close. A resource registered after close is closed at once.
     */
    public void closeWith(AutoCloseable resource) {
        Objects.requireNonNull(resource, "resource");
        synchronized (this) {
            if (!closed) {
                closeFirst.push(resource);
                return;
            }
        }
        closeQuietly(resource);
    }

    /** Forgets a resource registered with {@link #closeWith}, when it was closed on its own. */
    public void forget(AutoCloseable resource) {
        synchronized (this) {
            closeFirst.remove(resource);
        }
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            LOG.warn("closing {} failed", resource, e);
        }
    }

    /** Closes everything this Cairn opened and releases the directory lock. Idempotent. */
    @Override
    public void close() {
        List<AutoCloseable> first;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            first = List.copyOf(closeFirst);
            closeFirst.clear();
        }
        if (clock instanceof ManualClock manual) {
            manual.removeListener(onClockMove);
        }
        if (jmx != null) {
            jmx.close();
        }
        first.forEach(Cairn::closeQuietly);
        try {
            synchronized (parts) {
                try {
                    if (log != null) {
                        log.close();
                    }
                } finally {
                    for (LocalDictionary database : databases) {
                        if (database != null) {
                            database.close();
                        }
                    }
                }
            }
        } finally {
            storage.close();
            replicaRoots.forEach(Storage::close);
        }
        LOG.debug("closed Cairn at {}", storage.root());
    }

    @Override
    public String toString() {
        return "Cairn[" + (inMemory ? "in memory" : storage.root()) + (closed ? ", closed]" : "]");
    }

    /** Settings for {@link Cairn}. Not thread-safe. */
    public static final class Builder {
        private Path directory;
        private boolean inMemory;
        private InstantSource clock = InstantSource.system();
        private Durability durability = Durability.ALWAYS;
        private boolean truncateOnCorruption;
        private SnapshotRules snapshotRules = SnapshotRules.DEFAULT;
        private boolean readOnly;
        private boolean jmx = true;
        private String metricsName;
        private List<Path> replicaRoots = List.of();
        private int memoryReplicaRoots;
        private boolean uncleanLeaderElection;

        private Builder() {
        }

        /** Keep data in {@code directory} (created if missing). */
        public Builder directory(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
            this.inMemory = false;
            return this;
        }

        /** Keep everything in memory. */
        public Builder inMemory() {
            this.inMemory = true;
            this.directory = null;
            return this;
        }

        /** The clock for expiry, retention and timestamps; the system clock by default. */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The default durability policy; {@link Durability#ALWAYS} by default. */
        public Builder durability(Durability durability) {
            this.durability = Objects.requireNonNull(durability, "durability");
            return this;
        }

        /**
         * Whether recovery may truncate a file at corruption found before its tail (losing what
         * follows) instead of refusing to open; false by default. A torn final entry is always
         * truncated.
         */
        public Builder truncateOnCorruption(boolean truncate) {
            this.truncateOnCorruption = truncate;
            return this;
        }

        /** When the dictionary snapshots by itself; {@link SnapshotRules#DEFAULT} (Redis's defaults) by default. */
        public Builder snapshotRules(SnapshotRules rules) {
            this.snapshotRules = Objects.requireNonNull(rules, "rules");
            return this;
        }

        /**
         * Open the directory without changing anything in it, for inspection (the command-line
         * tool's {@code describe} and {@code dump}): recovery runs as usual, but what it would repair
         * (a torn tail cut, an index rebuilt, a leftover removed) is done in memory only, and so
         * is every write made through the opened Cairn, all of it dropped at close. The directory
         * must exist; no file in it is created, written, renamed or deleted. The lock is taken
         * shared: the open fails while a Cairn has the directory open, and a Cairn cannot open it
         * meanwhile. Snapshots are taken only on demand. Off by default.
         */
        public Builder readOnly(boolean readOnly) {
            this.readOnly = readOnly;
            return this;
        }

        /**
         * Whether the Cairn registers its metrics as MBeans in the platform MBean server while
         * open (see docs/metrics.md); true by default.
         */
        public Builder jmx(boolean enabled) {
            this.jmx = enabled;
            return this;
        }

        /**
         * The value of the {@code cairn} key of the MBeans' names; by default the data
         * directory's name, or {@code memory}. Characters outside {@code [A-Za-z0-9._-]} become
         * {@code _}, and a name an open Cairn of this JVM already has gets {@code -2}, {@code -3},
         * ... appended: {@link Cairn#metricsName()} tells the one chosen.
         */
        public Builder metricsName(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("metrics name must not be empty");
            }
            this.metricsName = name;
            return this;
        }

        /**
         * Storage roots besides the data directory, each on its own disk, that keep copies of the
         * partitions of topics with a {@link dev.cairn.log.TopicConfig#replicationFactor()} above 1:
         * a topic can have as many replicas as there are roots, the data directory included. Each
         * root is a directory (created if missing) locked as the data directory is. When a root's
         * storage fails, its partitions are served from another in-sync copy. None by default.
         * The same roots, in the same order, must be given at every open.
         */
        public Builder replicaRoots(Path... roots) {
            this.replicaRoots = List.of(roots);
            this.memoryReplicaRoots = 0;
            return this;
        }

        /**
         * Whether a partition whose in-sync copies are all lost may be led by a copy outside its
         * in-sync set (Kafka's {@code unclean.leader.election.enable}): the partition comes back
         * sooner, but loses every record only the lost copies had, acknowledged ones included,
         * and consumers may see offsets reused. Off by default: the partition then stays without
         * a leader until an in-sync copy returns.
         */
        public Builder uncleanLeaderElection(boolean enabled) {
            this.uncleanLeaderElection = enabled;
            return this;
        }

        /** As {@link #replicaRoots(Path...)}, {@code count} roots in memory, for an in-memory Cairn (tests). */
        public Builder replicaRootsInMemory(int count) {
            if (count < 0) {
                throw new IllegalArgumentException("count must be >= 0, was " + count);
            }
            this.memoryReplicaRoots = count;
            this.replicaRoots = List.of();
            return this;
        }

        /** Opens the Cairn. */
        public Cairn open() {
            if (inMemory) {
                if (!replicaRoots.isEmpty()) {
                    throw new IllegalStateException("an in-memory Cairn keeps replicas in memory: use "
                            + "replicaRootsInMemory(count), not replicaRoots(paths)");
                }
                List<Storage> roots = new ArrayList<>();
                for (int i = 0; i < memoryReplicaRoots; i++) {
                    roots.add(Storage.inMemory());
                }
                return new Cairn(Storage.inMemory(), roots, true, this);
            }
            if (memoryReplicaRoots > 0) {
                throw new IllegalStateException("replicaRootsInMemory is for an in-memory Cairn; give directories "
                        + "with replicaRoots(paths)");
            }
            if (directory == null) {
                throw new IllegalStateException("choose directory(path) or inMemory() before open()");
            }
            if (readOnly) {
                if (!Files.isDirectory(directory)) {
                    throw new StorageException("cannot open " + directory + " read-only: no such directory");
                }
                snapshotRules = SnapshotRules.ON_DEMAND;
                return new Cairn(Storage.open(new OverlayFileSystem(), directory, Storage.FLUSH_INTERVAL_MS),
                        List.of(), false, this);
            }
            List<Storage> roots = new ArrayList<>();
            try {
                for (Path root : replicaRoots) {
                    roots.add(Storage.open(root));
                }
                return new Cairn(Storage.open(directory), roots, false, this);
            } catch (RuntimeException e) {
                roots.forEach(Storage::close);
                throw e;
            }
        }

        /** Opens a Cairn on an already opened storage; for tests that inject a file system. */
        Cairn open(Storage storage) {
            return new Cairn(storage, List.of(), false, this);
        }

        /** Opens a Cairn on already opened storages, the data directory's and the replica roots'; for tests. */
        Cairn open(Storage storage, List<Storage> replicaRoots) {
            return new Cairn(storage, replicaRoots, false, this);
        }
    }
}
