package dev.cairn.dictionary;

import java.util.Optional;
import java.util.function.Function;

/**
 * A Redis-style data-structure store in process: keys holding strings, hashes, lists, sets and
 * sorted sets, with per-key expiry, all-or-nothing transactions and optimistic watches.
 *
 * <p><b>Keys</b> are binary-safe byte strings of up to 65,535 characters, named in this API by
 * {@code String}s stored as their UTF-8 bytes; {@link BinaryKeys} names keys that are not text.
 * A string that names no byte string is refused with an {@link IllegalArgumentException} naming
 * the index and code of the first bad character. <b>Values</b> are binary-safe byte arrays.
 *
 * <p><b>Commands</b> are grouped in views ({@link #keys()}, {@link #strings()}, ...). Every
 * command is atomic and commands run one at a time, as in Redis's single-threaded loop, while
 * any number of threads call in. Using a key as the wrong type throws
 * {@link WrongTypeException} and changes nothing; a collection left empty disappears.
 *
 * <p><b>Expiry</b> deadlines are milliseconds of the injected clock. An expired key is
 * invisible to every command; it is removed on access and by a background sweeper.
 *
 * <p><b>Close</b>: every call after {@link #close()} throws
 * {@link dev.cairn.common.ClosedException}; threads blocked in BLPOP and the like are woken with
 * it. Closing is idempotent.
 */
public interface Dictionary extends CommandViews, AutoCloseable {

    /**
     * Runs {@code block} as one transaction: no other command runs until it ends, its commands
     * see each other's effects, and either all its effects remain or none does. If a command in
     * the block fails (even if the block catches the exception) or the block throws, every effect
     * is undone and the first exception is thrown from here.
     *
     * @return what the block returned
     */
    <T> T transaction(Function<Transaction, T> block);

    /**
     * Runs {@code block} with no other command in between, as Redis runs MULTI ... EXEC: its
     * commands see each other's effects, and a command that fails fails alone (its exception
     * reaches the block, which may go on), leaving the effects of the others in place. What the
     * block wrote is recorded in the append-only file as one entry, so after a crash either all of
     * it is there or none. Blocking commands inside answer at once, as if their timeout had passed.
     * Use {@link #transaction(Function)} for a block that is undone when anything in it fails.
     *
     * @return what the block returned
     */
    <T> T exclusive(Function<Transaction, T> block);

    /**
     * Runs {@code block} as {@link #exclusive(Function)} only if no key of {@code watch} was
     * written since the watch began (Redis's WATCH ... EXEC); otherwise runs nothing. Either way
     * the watch ends.
     *
     * @return what the block returned, or empty if a watched key had changed
     * @throws IllegalStateException if the watch was closed or already used
     */
    <T> Optional<T> exclusive(Watch watch, Function<Transaction, T> block);

    /** WATCH: starts watching keys for a later {@link #transaction(Watch, Function)} or {@link #exclusive(Watch, Function)}. */
    Watch watch(String... keys);

    /**
     * Runs {@code block} as a transaction only if no key of {@code watch} was written since the
     * watch began; otherwise runs nothing. Either way the watch ends.
     *
     * @return what the block returned, or empty if a watched key had changed
     * @throws IllegalStateException if the watch was closed or already used
     */
    <T> Optional<T> transaction(Watch watch, Function<Transaction, T> block);

    /**
     * Writes a snapshot now, in the background of other commands, and returns once it is durable
     * and the append-only file before it has been dropped.
     *
     * @throws IllegalStateException for an in-memory dictionary, or when called inside a transaction
     * @throws dev.cairn.common.StorageException if writing the snapshot failed (the previous one stays)
     */
    void snapshot();

    /**
     * MOVE: moves {@code key}, with its value and deadline, to {@code destination} (another
     * database of the same {@code Cairn}), as one step: no command of either sees it in both or
     * in neither. Both dictionaries are locked for the move, in a fixed order, so concurrent moves
     * cannot deadlock.
     *
     * @return true if moved; false if the key is missing here or already present there
     * @throws IllegalArgumentException if {@code destination} is this dictionary or not one a
     *     {@code Cairn} opened
     * @throws IllegalStateException inside a transaction or exclusive block
     */
    boolean move(String key, Dictionary destination);

    /**
     * Registers {@code listener} to receive every key event from now on (Redis's keyspace
     * notifications; see {@link KeyEventListener} for the threading rules it must follow).
     * Registering the same listener twice delivers each event to it twice. While no listener is
     * registered, commands build no events at all.
     */
    void addKeyEventListener(KeyEventListener listener);

    /**
     * Stops delivering events to {@code listener} (one registration of it); returns whether it was
     * registered.
     */
    boolean removeKeyEventListener(KeyEventListener listener);

    /**
     * The state of persistence (append-only size, snapshots, what recovery did) and the keyspace
     * counters INFO reports (keys, keys with a deadline, hits, misses, expired keys). Expired keys
     * are removed first, as {@link KeyCommands#dbSize()} does.
     */
    DictionaryStats stats();

    /**
     * CONFIG RESETSTAT: the keyspace hits, misses and expired keys of {@link #stats()} start from
     * zero again.
     */
    void resetStats();

    /** Closes the dictionary: stops the sweeper and wakes blocked callers. Idempotent. */
    @Override
    void close();
}
