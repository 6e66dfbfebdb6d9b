package dev.cairn.dictionary.internal;

import dev.cairn.common.ClosedException;
import dev.cairn.common.StorageException;
import dev.cairn.dictionary.BinaryKeys;
import dev.cairn.dictionary.KeyEventClass;
import dev.cairn.dictionary.KeyEventListener;
import dev.cairn.dictionary.KeyType;
import dev.cairn.dictionary.WrongTypeException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The dictionary's core: the keyspace, the one command lock, and the services every command
 * uses. It plays the part of Redis's single-threaded event loop: commands run one at a time
 * under {@link #lock}, so each is atomic and sees the effects of all before it.
 *
 * <h2>How a command uses it</h2>
 * <pre>{@code
 *   return engine.call(() -> {
 *       ListValue list = engine.readAs(key, KeyType.LIST, ListValue.class);   // lazy expiry + type check
 *       ...
 *   });
 * }</pre>
 * <ul>
 *   <li>{@link #call}/{@link #begin}+{@link #end}: take the lock, refuse after close, and after
 *       the outermost command: hand its {@link WriteEntry} to the {@link WriteSink}, then serve
 *       blocked waiters whose keys became ready.</li>
 *   <li>Reads: {@link #live} (entry or null; an expired key is deleted first), {@link #read} and
 *       {@link #readAs} (value or null, {@link WrongTypeException} on another type).</li>
 *   <li>Writes: {@link #write}/{@link #writeAs} return the live value for in-place mutation
 *       after saving it for undo; {@link #create} stores a new collection; {@link #put},
 *       {@link #delete} replace or remove. After mutating in place call {@link #changed} (marks
 *       watches, signals blocked waiters) and {@link #removeIfEmpty}. Every write also calls
 *       {@link #propagate} with its deterministic form, and {@link #event} with Redis's keyspace
 *       event for it (before {@link #removeIfEmpty}, which emits the {@code del} that follows
 *       it); {@link #put} and {@link #create} emit {@code new} for a key they add, and expiry
 *       emits {@code expired}.</li>
 *   <li>Validate every argument and type <em>before</em> the first mutation, so a command that
 *       throws changes nothing (inside a transaction a failure undoes the whole block anyway).</li>
 *   <li>Blocking commands: try once; if nothing, {@link #block} with a {@link Waiter.Server}
 *       that serves the waiter later, and return its future (no thread waits; see
 *       {@link BlockedClients}); inside a transaction ({@link #inTransaction}) do not block.
 *       {@link #end} completes the futures of the waiters its command served, after releasing
 *       the lock and once their writes are durable.</li>
 * </ul>
 *
 * <p>Invariant after every command: no blocked waiter could be served (all ready keys have
 * been drained), and the keyspace holds no empty collection.
 *
 * <h2>Reads without the lock</h2>
 * GET, the hottest read, first tries {@link #peekString} without the lock, as a sequence lock's
 * optimistic read (as {@code java.util.concurrent.locks.StampedLock}'s): {@link #version} is odd
 * while a command that changed the keyspace still holds the lock, and advances to the next even
 * value before the lock is released. A reader that finds the same even version before and after
 * its lookup saw a state no command was changing, i.e. the state between two commands, and its
 * result is the one a locked read at that instant would have given. Anything else (a command was
 * writing, the key is expired, holds another type, or the walk looked wrong) falls back to the
 * locked read, which also handles expiry and errors. Every change to the keyspace must therefore
 * happen after {@link #mutating} (called by {@link #saveForUndo}, through which every key change
 * passes), and the lock must be released through {@link #unlock}/{@link #end}/{@link
 * #endQuietly}, or {@link #publish} called before a condition wait. This covers the keyspace
 * table's switch to its seeded hash (see {@link StringTable}, "Hash flooding"): it happens inside
 * an insert, a removal or the end of a snapshot's pause, all after {@link #mutating}, so a reader
 * racing it (which may hash the key one way and walk buckets laid out the other) fails its
 * validation and reads again under the lock. A read that validates counts its keyspace hit or
 * miss in {@link UnlockedReadCounts} (per thread, no atomic instruction); one that falls back is
 * counted by the locked read instead, so each GET counts once.
 *
 * <p>Thread-safe: every method except the constructor must be called with {@link #lock} held
 * (via {@link #call} or {@link #begin}), except {@link #close}, {@link #watchChanged},
 * {@link #unwatch} and {@link #peekString}, which manage the lock themselves.
 */
final class Engine {
    final ReentrantLock lock = new ReentrantLock();
    final InstantSource clock;
    final SplittableRandom random = new SplittableRandom();
    private WriteSink sink;
    private boolean logging;
    /** True while recovery replays: nothing expires (deadlines are judged once replay is done). */
    private boolean replaying;
    /** The snapshot in progress, or null. */
    private SnapshotBarrier snapshot;

    Keyspace keyspace = new Keyspace();
    private volatile boolean closed;

    /**
     * Odd while a command holding the lock has changed the keyspace; see "Reads without the lock".
     * Written only under the lock.
     */
    @SuppressWarnings("unused") // accessed through VERSION
    private long version;
    private static final VarHandle VERSION;
    /** Answer of {@link #peekString} when only a locked read can tell. */
    static final Object UNKNOWN = new Object();

    static {
        try {
            VERSION = MethodHandles.lookup().findVarHandle(Engine.class, "version", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * INFO's keyspace_hits and keyspace_misses of reads under the lock: one per key a read
     * command looks up (see {@link #lookupRead}), a hit if the key is live. Plain fields, written
     * under the lock; GET's reads without the lock count in {@link #unlockedReads}.
     */
    private long keyspaceHits;
    private long keyspaceMisses;
    /** INFO's expired_keys: keys removed because their deadline passed, on access or by the sweeper. */
    private long expiredKeys;
    private final UnlockedReadCounts unlockedReads = new UnlockedReadCounts();

    private UndoLog undo;
    private RuntimeException transactionFailure;
    /** True inside {@link #exclusive}: a block of commands without undo, committed as one entry. */
    private boolean exclusive;

    private final List<List<byte[]>> pending = new ArrayList<>();
    /** The key event listeners; null while there are none, so that silence costs one check. */
    private KeyEvents events;
    private final Map<String, List<WatchImpl>> watched = new HashMap<>();
    private final BlockedClients blocked = new BlockedClients(this);
    /** Signalled on close so the sweeper stops waiting. */
    final Condition closing = lock.newCondition();

    Engine(InstantSource clock, WriteSink sink) {
        this.clock = clock;
        this.sink = sink;
        this.logging = sink != WriteSink.NONE;
    }

    // ---------------------------------------------------------------- command framing

    /** Takes the command lock; throws {@link ClosedException} (without the lock) after close. */
    void begin() {
        lock.lock();
        if (closed) {
            lock.unlock();
            throw new ClosedException("dictionary");
        }
    }

    /**
     * Ends a command: for the outermost command outside a transaction, commits and serves waiters;
     * then, outside the lock, waits until what was committed is durable, so concurrent commands
     * share fsyncs and no caller sees a result the sink's policy has not made safe yet.
     */
    void end() {
        long mark = 0;
        List<Waiter<?>> served = null;
        try {
            if (undo == null && lock.getHoldCount() == 1) {
                afterCommand();
                mark = logging ? sink.lastMark() : 0;
                served = blocked.takeServed();
            }
        } finally {
            unlock();
        }
        if (served == null) {
            awaitDurable(mark);
            return;
        }
        // The served waiters' pops are in this command's mark: their futures complete once it is
        // durable, as their own command's reply would have waited, and outside the lock.
        try {
            awaitDurable(mark);
        } catch (RuntimeException | Error e) {
            served.forEach(waiter -> waiter.deliverFailure(e));
            throw e;
        }
        served.forEach(Waiter::deliverServed);
    }

    /**
     * Waits until the sink has made {@code mark} durable (0: nothing to wait for). After the sink
     * failed nothing more becomes durable: writes are refused before they start (see
     * saveForUndo), and reads go on without waiting for what can never come.
     */
    private void awaitDurable(long mark) {
        if (mark > 0 && sink.failure() == null) {
            sink.awaitDurable(mark);
        }
    }

    /** Releases the lock taken by {@link #begin()} without committing or waiting: for housekeeping and recovery. */
    void endQuietly() {
        unlock();
    }

    /** Releases the lock, publishing any change first (see "Reads without the lock"). */
    void unlock() {
        if (lock.getHoldCount() == 1) {
            publish();
        }
        lock.unlock();
    }

    /**
     * Marks the keyspace as being changed: lock-free readers will not trust what they read until
     * {@link #publish}. Called before the first change of a command; cheap on later calls.
     */
    void mutating() {
        long current = (long) VERSION.getOpaque(this);
        if ((current & 1) == 0) {
            VERSION.setOpaque(this, current + 1);
            // The odd version must be visible before any change it guards.
            VarHandle.storeStoreFence();
        }
    }

    /**
     * Ends a stretch of changes: the version becomes even again, released after every change, so
     * a reader that sees it sees them. Called before the lock is released or waited on.
     */
    void publish() {
        long current = (long) VERSION.getOpaque(this);
        if ((current & 1) != 0) {
            VERSION.setRelease(this, current + 1);
        }
    }

    /**
     * GET without the lock: the string value of {@code key}, null if the key is absent, or
     * {@link #UNKNOWN} if only a locked read can answer (a command was changing the keyspace, the
     * key is expired or of another type, or the dictionary is closed). Never changes anything.
     * The returned array is stored, never mutated: copy it before handing it out.
     */
    Object peekString(String key) {
        long before = (long) VERSION.getAcquire(this);
        if ((before & 1) != 0 || closed) {
            return UNKNOWN;
        }
        // Racy reads from here to the second version check: the result is used only if no command
        // changed anything in between, and the walk is bounded (a chain being rehashed can look cyclic).
        Node<Object> node = keyspace.table.findUnlocked(key);
        Object value = null;
        if (node != null) {
            value = node.value;
            if (node == StringTable.GAVE_UP || !(value instanceof byte[])
                    || node instanceof TimedNode timed && timed.deadlineMs < clock.millis()) {
                return UNKNOWN;
            }
        }
        VarHandle.acquireFence();
        if ((long) VERSION.getOpaque(this) != before) {
            return UNKNOWN;
        }
        if (value == null) {
            unlockedReads.miss();
        } else {
            unlockedReads.hit();
        }
        // As after a locked read (see end()): what the caller saw must be durable before it sees it.
        // Inside a transaction on this thread the wait is left to the transaction's end.
        if (logging && !lock.isHeldByCurrentThread()) {
            awaitDurable(sink.lastMark());
        }
        return value;
    }

    /** Records a command's failure: inside a transaction the whole block will be undone. */
    void fail(RuntimeException failure) {
        if (undo != null && transactionFailure == null) {
            transactionFailure = failure;
        }
    }

    /** Runs one command under the lock. */
    <T> T call(Supplier<T> command) {
        begin();
        try {
            return command.get();
        } catch (RuntimeException e) {
            fail(e);
            throw e;
        } finally {
            end();
        }
    }

    /** Runs one command that answers nothing under the lock. */
    void run(Runnable command) {
        begin();
        try {
            command.run();
        } catch (RuntimeException e) {
            fail(e);
            throw e;
        } finally {
            end();
        }
    }

    /** Whether a transaction or an exclusive block is running: blocking commands must not block. */
    boolean inTransaction() {
        return undo != null || exclusive;
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * The time commands judge deadlines by. While replaying it is the earliest possible instant,
     * so that no replayed command finds a deadline already passed: the original command did not,
     * or it would have been logged as a DEL (Redis likewise never expires keys while loading).
     * Replayed commands carry absolute deadlines only.
     */
    long nowMs() {
        return replaying ? Long.MIN_VALUE : clock.millis();
    }

    private void afterCommand() {
        flushPending();
        blocked.serveReady(this::flushPending);
    }

    // ---------------------------------------------------------------- replication seam

    /** Whether a sink wants entries; commands may skip building arguments when false. */
    boolean logging() {
        return logging;
    }

    /**
     * Adds one command in deterministic form to the entry being built. Arguments: String (UTF-8),
     * byte[] (as is), Number (decimal), or a List of those (flattened).
     */
    void propagate(Object... args) {
        if (!logging) {
            return;
        }
        List<byte[]> command = new ArrayList<>(args.length);
        int first = 0;
        if (args.length > 0 && args[0] instanceof String name) {
            command.add(commandName(name));
            first = 1;
        }
        for (int i = first; i < args.length; i++) {
            addArg(command, args[i]);
        }
        pending.add(command);
    }

    /** Encoded command names: a small fixed set, encoded once (entries never change their arrays). */
    private static final ConcurrentHashMap<String, byte[]> COMMAND_NAMES = new ConcurrentHashMap<>();

    private static byte[] commandName(String name) {
        byte[] bytes = COMMAND_NAMES.get(name);
        return bytes != null ? bytes
                : COMMAND_NAMES.computeIfAbsent(name, n -> n.getBytes(StandardCharsets.US_ASCII));
    }

    private static void addArg(List<byte[]> command, Object arg) {
        if (arg instanceof byte[] bytes) {
            command.add(bytes);
        } else if (arg instanceof String text) {
            command.add(BinaryKeys.toBytes(text));
        } else if (arg instanceof Number number) {
            command.add(number.toString().getBytes(StandardCharsets.US_ASCII));
        } else if (arg instanceof List<?> list) {
            for (Object item : list) {
                addArg(command, item);
            }
        } else {
            throw new IllegalArgumentException("cannot propagate an argument of " + arg.getClass());
        }
    }

    /**
     * Commits what the running command logged so far as an entry of its own now, instead of at
     * its end (nothing inside a transaction or an exclusive block): for MOVE, whose destination
     * half must reach its file before the source's half.
     */
    void commitPending() {
        flushPending();
    }

    private void flushPending() {
        // Inside a transaction or an exclusive block everything waits for the one entry of its end.
        if (undo == null && !exclusive && !pending.isEmpty()) {
            WriteEntry entry = new WriteEntry(pending);
            pending.clear();
            sink.commit(entry);
        }
    }

    // ---------------------------------------------------------------- key events

    /**
     * Emits Redis's keyspace event {@code event} of {@code eventClass} for {@code key}, if anyone
     * listens: at once, or at commit inside an undoable transaction (see {@link KeyEvents}).
     */
    void event(KeyEventClass eventClass, String event, String key) {
        if (events != null) {
            events.emit(eventClass, event, key, undo != null);
        }
    }

    /** Whether a listener is registered, i.e. commands build events; for tests of the silent path. */
    boolean listening() {
        return events != null;
    }

    void addListener(KeyEventListener listener) {
        if (events == null) {
            events = new KeyEvents(listener);
        } else {
            events.add(listener);
        }
    }

    boolean removeListener(KeyEventListener listener) {
        if (events == null || !events.remove(listener)) {
            return false;
        }
        if (events.isEmpty()) {
            events = null;
        }
        return true;
    }

    // ---------------------------------------------------------------- reads

    /** The live entry of {@code key}, or null; an expired key is deleted (and logged as DEL) first. */
    Node<Object> live(String key) {
        Node<Object> node = keyspace.find(key);
        if (node instanceof TimedNode timed && !replaying && timed.deadlineMs < clock.millis()) {
            expire(timed);
            return null;
        }
        return node;
    }

    /**
     * The live entry of {@code key} for a read command, counted as a keyspace hit or miss: Redis's
     * {@code lookupKeyRead}. Read commands look keys up through here (or {@link #lookupRead(String,
     * KeyType)}), once per key they name, as Redis's do; write commands and the reads that serve
     * them use {@link #live}, which counts nothing (Redis's {@code lookupKeyWrite}). A key of
     * another type is a hit: the lookup found it before the type check refuses it.
     */
    Node<Object> lookupRead(String key) {
        Node<Object> node = live(key);
        if (!replaying) {
            if (node == null) {
                keyspaceMisses++;
            } else {
                keyspaceHits++;
            }
        }
        return node;
    }

    /** {@link #read} for a read command: counted as {@link #lookupRead(String)}. */
    Object lookupRead(String key, KeyType type) {
        return valueOfType(key, lookupRead(key), type);
    }

    /** {@link #lookupRead(String, KeyType)} cast to the value class of {@code type}. */
    <T> T lookupReadAs(String key, KeyType type, Class<T> valueClass) {
        return valueClass.cast(lookupRead(key, type));
    }

    /** Keyspace hits since open or the last {@link #resetStats}, with and without the lock. */
    long keyspaceHits() {
        return keyspaceHits + unlockedReads.hits();
    }

    /** Keyspace misses since open or the last {@link #resetStats}, with and without the lock. */
    long keyspaceMisses() {
        return keyspaceMisses + unlockedReads.misses();
    }

    /** Keys removed on or after their deadline since open or the last {@link #resetStats}. */
    long expiredKeys() {
        return expiredKeys;
    }

    /**
     * The keyspace's figures for {@code DictionaryStats}: keys, keys with a deadline, their mean
     * time left in ms (0 if none; a deadline already passed counts as 0 left), hits, misses and
     * expired keys.
     */
    long[] keyspaceFigures() {
        int withDeadline = keyspace.expiries.size();
        long averageTtlMs = 0;
        if (withDeadline > 0) {
            BigInteger count = BigInteger.valueOf(withDeadline);
            BigInteger left = keyspace.expiries.deadlineSum().subtract(BigInteger.valueOf(clock.millis()).multiply(count));
            averageTtlMs = left.signum() <= 0 ? 0 : left.divide(count).min(BigInteger.valueOf(Long.MAX_VALUE)).longValue();
        }
        return new long[] {keyspace.size(), withDeadline, averageTtlMs, keyspaceHits(), keyspaceMisses(), expiredKeys};
    }

    /** CONFIG RESETSTAT: hits, misses and expired keys start from zero again. */
    void resetStats() {
        keyspaceHits = 0;
        keyspaceMisses = 0;
        expiredKeys = 0;
        unlockedReads.reset();
    }

    static KeyType typeOf(Object value) {
        return value instanceof byte[] ? KeyType.STRING : ((CollectionValue) value).type();
    }

    /** The live value of {@code key} if it has {@code type}, null if absent. */
    Object read(String key, KeyType type) {
        return valueOfType(key, live(key), type);
    }

    /** The value of {@code node} (null if absent) if it has {@code type}; else WRONGTYPE. */
    private static Object valueOfType(String key, Node<Object> node, KeyType type) {
        if (node == null) {
            return null;
        }
        Object value = node.value;
        if (typeOf(value) != type) {
            throw new WrongTypeException(key, type, typeOf(value));
        }
        return value;
    }

    /** {@link #read} cast to the value class of {@code type}. */
    <T> T readAs(String key, KeyType type, Class<T> valueClass) {
        return valueClass.cast(read(key, type));
    }

    // ---------------------------------------------------------------- writes

    /** Every change to a key passes here first: persistence failure check, snapshot copy-on-write, undo. */
    private void saveForUndo(String key, Node<Object> node) {
        RuntimeException failure = sink.failure();
        if (failure != null) {
            throw new StorageException("the dictionary refuses writes since its append-only file failed: "
                    + failure.getMessage(), failure);
        }
        mutating();
        if (snapshot != null) {
            snapshot.beforeChange(keyspace, key, node);
        }
        if (undo != null) {
            undo.save(key, node);
        }
    }

    // ---------------------------------------------------------------- persistence

    /** Replaces the sink (under the lock), e.g. with the append-only file once recovery is done. */
    void attachSink(WriteSink newSink) {
        sink = newSink;
        logging = newSink != WriteSink.NONE;
    }

    /** The sink committed entries go to. */
    WriteSink sink() {
        return sink;
    }

    /** While replaying, no key expires, so replay sees the keys the original commands saw. */
    void replaying(boolean on) {
        replaying = on;
    }

    /** Starts copy-on-write for a snapshot at this instant. Under the lock. */
    SnapshotBarrier startSnapshot() {
        if (snapshot != null) {
            throw new IllegalStateException("a snapshot is already running");
        }
        snapshot = new SnapshotBarrier(keyspace);
        return snapshot;
    }

    /** Ends copy-on-write. Under the lock. */
    void stopSnapshot(SnapshotBarrier barrier) {
        if (snapshot == barrier) {
            // Releasing the barrier applies the resizes it held back.
            mutating();
            snapshot = null;
            barrier.release();
        }
    }

    /** The live value of {@code key} if it has {@code type}, saved for undo, ready to mutate; null if absent. */
    Object write(String key, KeyType type) {
        Node<Object> node = live(key);
        if (node == null) {
            return null;
        }
        Object value = node.value;
        if (typeOf(value) != type) {
            throw new WrongTypeException(key, type, typeOf(value));
        }
        saveForUndo(key, node);
        return value;
    }

    /** {@link #write} cast to the value class of {@code type}. */
    <T> T writeAs(String key, KeyType type, Class<T> valueClass) {
        return valueClass.cast(write(key, type));
    }

    /** Stores a new (not yet empty-checked) collection under an absent key; returns it. */
    <T extends CollectionValue> T create(String key, T value) {
        saveForUndo(key, null);
        keyspace.put(key, value, false);
        event(KeyEventClass.NEW, "new", key);
        return value;
    }

    /**
     * Stores {@code value} under {@code key}, replacing any value of any type; the deadline is
     * kept if {@code keepDeadline} and the key existed, else cleared. Marks the key changed.
     */
    void put(String key, Object value, boolean keepDeadline) {
        Node<Object> node = live(key);
        saveForUndo(key, node);
        // Reuse the entry found above: SET is a hot path and a second lookup costs a cache miss.
        if (node == null) {
            keyspace.table.insert(new Node<>(key, value));
            event(KeyEventClass.NEW, "new", key);
        } else {
            node.value = value;
            if (!keepDeadline && node instanceof TimedNode timed) {
                keyspace.clearDeadline(timed);
            }
        }
        changed(key);
    }

    /** Deletes the key if it exists; returns whether it did. Marks the key changed. */
    boolean delete(String key) {
        Node<Object> node = live(key);
        if (node == null) {
            return false;
        }
        saveForUndo(key, node);
        keyspace.remove(key);
        changed(key);
        return true;
    }

    /**
     * Deletes {@code key} if its collection is empty (Redis removes empty collections), emitting
     * {@code del} after the event of the command that emptied it.
     */
    boolean removeIfEmpty(String key, CollectionValue value) {
        if (value.isEmpty()) {
            keyspace.remove(key);
            event(KeyEventClass.GENERIC, "del", key);
            return true;
        }
        return false;
    }

    /** The deadline of a live key, {@link Keyspace#NO_DEADLINE} if none; -2 if absent. */
    long deadline(String key) {
        Node<Object> node = live(key);
        return node == null ? -2 : Keyspace.deadlineOf(node);
    }

    /** Sets the deadline of a live key (saving it for undo); marks the key changed. */
    void setDeadline(String key, long deadlineMs) {
        Node<Object> node = live(key);
        if (node == null) {
            throw new IllegalStateException("no live key '" + key + "'");
        }
        saveForUndo(key, node);
        keyspace.setDeadline(node, deadlineMs);
        changed(key);
    }

    /** Removes the deadline of a live key; returns whether it had one. Marks the key changed. */
    boolean clearDeadline(String key) {
        Node<Object> node = live(key);
        if (!(node instanceof TimedNode timed)) {
            return false;
        }
        saveForUndo(key, node);
        keyspace.clearDeadline(timed);
        changed(key);
        return true;
    }

    /** Removes every key (FLUSHALL); marks every watched key that existed as changed. */
    void flush() {
        mutating();
        for (Map.Entry<String, List<WatchImpl>> entry : watched.entrySet()) {
            if (live(entry.getKey()) != null) {
                entry.getValue().forEach(watch -> watch.dirty = true);
            }
        }
        if (undo != null) {
            undo.saveFlush(keyspace);
        }
        keyspace = new Keyspace();
    }

    /**
     * Marks a key as written: watches on it become dirty, and if threads wait on it, it is
     * queued to be served after the command.
     */
    void changed(String key) {
        if (!watched.isEmpty()) {
            List<WatchImpl> watches = watched.get(key);
            if (watches != null) {
                for (WatchImpl watch : watches) {
                    watch.dirty = true;
                }
            }
        }
        blocked.keyChanged(key);
    }

    // ---------------------------------------------------------------- expiry

    private void expire(TimedNode timed) {
        String key = timed.key;
        expiredKeys++;
        saveForUndo(key, timed);
        keyspace.remove(key);
        changed(key);
        propagate("DEL", key);
        event(KeyEventClass.EXPIRED, "expired", key);
    }

    /**
     * Removes up to {@code batch} keys whose deadline has passed, earliest first, each logged as
     * its own DEL entry. Returns whether expired keys remain.
     */
    boolean sweepExpired(int batch) {
        if (replaying) {
            return false;
        }
        long nowMs = clock.millis();
        for (int i = 0; i < batch; i++) {
            TimedNode top = keyspace.expiries.peek();
            if (top == null || top.deadlineMs >= nowMs) {
                return false;
            }
            expire(top);
            flushPending();
        }
        TimedNode top = keyspace.expiries.peek();
        return top != null && top.deadlineMs < nowMs;
    }

    // ---------------------------------------------------------------- transactions

    /**
     * Runs {@code block} as a transaction under the lock (the caller holds it): every write is
     * saved for undo; if the block throws or a command in it failed, everything is undone and the
     * failure rethrown; else its writes are committed as one entry by {@link #end}.
     */
    <T> T transaction(Supplier<T> block) {
        if (undo != null) {
            throw new IllegalStateException("transactions do not nest");
        }
        undo = new UndoLog();
        transactionFailure = null;
        try {
            T result;
            try {
                result = block.get();
            } catch (RuntimeException | Error e) {
                rollback();
                throw e;
            }
            if (transactionFailure != null) {
                RuntimeException failure = transactionFailure;
                rollback();
                throw failure;
            }
            if (events != null) {
                events.release();
            }
            return result;
        } finally {
            undo = null;
            transactionFailure = null;
        }
    }

    /**
     * Runs {@code block} under the lock (the caller holds it) as one exclusive block: nothing is
     * undone when a command in it fails, and its writes are committed as one entry by {@link #end}.
     */
    <T> T exclusive(Supplier<T> block) {
        if (inTransaction()) {
            throw new IllegalStateException("transactions do not nest");
        }
        exclusive = true;
        try {
            return block.get();
        } finally {
            exclusive = false;
        }
    }

    private void rollback() {
        keyspace = undo.rollback(keyspace);
        pending.clear();
        if (events != null) {
            events.drop();
        }
        // The state is back to one in which no waiter could be served.
        blocked.clearReady();
    }

    // ---------------------------------------------------------------- watches

    WatchImpl watch(List<String> keys) {
        if (undo != null) {
            throw new IllegalStateException("WATCH inside a transaction is not allowed");
        }
        WatchImpl watch = new WatchImpl(this, keys);
        for (String key : keys) {
            // An already expired key is removed now, so its expiry does not count as a change later.
            live(key);
            watched.computeIfAbsent(key, k -> new ArrayList<>(1)).add(watch);
        }
        return watch;
    }

    /**
     * Whether the watch saw a write; checks for keys that expired since (an expiry is a write).
     * A released watch no longer sees writes, so it cannot answer.
     */
    boolean watchChanged(WatchImpl watch) {
        begin();
        try {
            if (!watch.active) {
                throw new IllegalStateException("the watch was closed or already used by a transaction: it no "
                        + "longer sees writes");
            }
            for (String key : watch.keys) {
                live(key);
            }
            return watch.dirty;
        } finally {
            end();
        }
    }

    /** Ends a watch; idempotent. Safe to call after close. */
    void unwatch(WatchImpl watch) {
        lock.lock();
        try {
            release(watch);
        } finally {
            unlock();
        }
    }

    /** Ends a watch with the lock held. */
    void release(WatchImpl watch) {
        if (!watch.active) {
            return;
        }
        watch.active = false;
        for (String key : watch.keys) {
            List<WatchImpl> watches = watched.get(key);
            if (watches != null) {
                watches.remove(watch);
                if (watches.isEmpty()) {
                    watched.remove(key);
                }
            }
        }
    }

    // ---------------------------------------------------------------- blocking

    /**
     * The {@link #block} timeout that waits without a limit. Only the Java API's overloads
     * without a timeout pass it; no timeout value (Duration.ZERO included) converts to it.
     */
    static final long NO_TIMEOUT = Long.MAX_VALUE;

    /**
     * Queues the calling command as a waiter on {@code keys} until a {@link Waiter.Server} call on
     * one of them succeeds, the timeout passes (the future completes with null), the dictionary
     * closes (it fails with {@link ClosedException}) or its holder cancels it. The caller holds
     * the lock once (not inside a transaction) and has already tried the command. Waiters are
     * served in arrival order per key; see {@link BlockedClients}.
     *
     * @param timeoutNanos how long to wait ({@link #NO_TIMEOUT}: without a limit; 0: not at all);
     *                     measured on the JVM's monotonic clock, not the dictionary's clock (a
     *                     block timeout is a wait, not a deadline)
     */
    <T> CompletableFuture<T> block(List<String> keys, long timeoutNanos,
            Waiter.Server<T> server) {
        if (undo != null) {
            throw new IllegalStateException("a transaction must not block");
        }
        return blocked.block(keys, timeoutNanos, server);
    }

    /**
     * A blocking command's one outline: under the lock, {@code now} tries the command; its
     * result (not null), or null inside a transaction (which never waits, as Redis's MULTI), is
     * the answer at once; otherwise the command waits on {@code keys} for {@code later} to serve it
     * ({@link #block}). A failure is recorded as the command's and rethrown.
     */
    <T> CompletableFuture<T> tryOrBlock(List<String> keys, long timeoutNanos, Supplier<T> now,
            Waiter.Server<T> later) {
        begin();
        try {
            T result = now.get();
            if (result != null || inTransaction()) {
                return CompletableFuture.completedFuture(result);
            }
            return block(keys, timeoutNanos, later);
        } catch (RuntimeException e) {
            fail(e);
            throw e;
        } finally {
            end();
        }
    }

    /** How many waiters are queued on {@code key}, for tests. */
    int waitersOn(String key) {
        return blocked.waitersOn(key);
    }

    // ---------------------------------------------------------------- close

    /**
     * Marks the engine closed, fails every pending waiter with {@link ClosedException} (after
     * releasing the lock) and wakes the sweeper; idempotent.
     */
    void close() {
        List<Waiter<?>> pendingWaiters;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            pendingWaiters = blocked.close();
            closing.signalAll();
        } finally {
            unlock();
        }
        for (Waiter<?> waiter : pendingWaiters) {
            waiter.deliverFailure(new ClosedException("dictionary"));
        }
    }
}
