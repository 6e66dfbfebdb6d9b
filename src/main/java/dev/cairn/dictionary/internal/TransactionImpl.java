package dev.cairn.dictionary.internal;

import dev.cairn.dictionary.BitmapCommands;
import dev.cairn.dictionary.HashCommands;
import dev.cairn.dictionary.KeyCommands;
import dev.cairn.dictionary.ListCommands;
import dev.cairn.dictionary.SetCommands;
import dev.cairn.dictionary.SortedSetCommands;
import dev.cairn.dictionary.StringCommands;
import dev.cairn.dictionary.Transaction;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * The handle transaction blocks get: views that run the dictionary's own commands, each first
 * checking that a block is running and that the caller is the thread running it. Inside the
 * block that thread already holds the command lock, so each command takes it again
 * (reentrantly) and the {@link Engine} records its writes in the transaction's undo log instead
 * of committing them one by one.
 *
 * <p>A handle (or a view taken from it) kept after the block returns would otherwise write as
 * plain commands, and one used from another thread during the block would wait for the lock the
 * block holds, possibly for ever: both get an {@link IllegalStateException} at once.
 *
 * <p>One per dictionary, reused by every block: blocks run one at a time under the command
 * lock and do not nest, so the views (proxies, built once) are not rebuilt per transaction. A
 * handle kept by a thread from an earlier block of its own works again only inside that thread's
 * next block, where it is that block's handle.
 *
 * <p>Thread-safety: {@link #start} and {@link #end} run under the command lock on the block's
 * thread; any thread may call the views, which read {@code owner} and {@code ended} (volatile).
 */
final class TransactionImpl implements Transaction {
    private volatile Thread owner;
    private volatile boolean ended = true;
    private final KeyCommands keys;
    private final StringCommands strings;
    private final BitmapCommands bitmaps;
    private final HashCommands hashes;
    private final ListCommands lists;
    private final SetCommands sets;
    private final SortedSetCommands sortedSets;

    /** The handle of {@code dictionary}, whose views must already exist. */
    TransactionImpl(LocalDictionary dictionary) {
        this.keys = guarded(KeyCommands.class, dictionary.keys());
        this.strings = guarded(StringCommands.class, dictionary.strings());
        this.bitmaps = guarded(BitmapCommands.class, dictionary.bitmaps());
        this.hashes = guarded(HashCommands.class, dictionary.hashes());
        this.lists = guarded(ListCommands.class, dictionary.lists());
        this.sets = guarded(SetCommands.class, dictionary.sets());
        this.sortedSets = guarded(SortedSetCommands.class, dictionary.sortedSets());
    }

    /** Called under the command lock as a block starts on the calling thread. */
    void start() {
        owner = Thread.currentThread();
        ended = false;
    }

    /** Called when the block has returned or thrown: every later use is refused. */
    void end() {
        ended = true;
    }

    private void checkUsable() {
        if (ended) {
            throw new IllegalStateException("this transaction has ended: its block returned, so its handle and views "
                    + "can no longer run commands (run them on the dictionary, or in a new transaction)");
        }
        Thread caller = Thread.currentThread();
        Thread running = owner;
        if (caller != running) {
            throw new IllegalStateException("this transaction belongs to another thread ('" + running.getName()
                    + "', which is running its block); it cannot be used from thread '" + caller.getName() + "'");
        }
    }

    /** {@code target} behind a view that checks {@link #checkUsable} before every command. */
    private <T> T guarded(Class<T> view, T target) {
        Object proxy = Proxy.newProxyInstance(view.getClassLoader(), new Class<?>[] {view}, (self, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> self == args[0];
                    case "hashCode" -> System.identityHashCode(self);
                    default -> view.getSimpleName() + " of a transaction";
                };
            }
            checkUsable();
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
        return view.cast(proxy);
    }

    @Override
    public KeyCommands keys() {
        checkUsable();
        return keys;
    }

    @Override
    public StringCommands strings() {
        checkUsable();
        return strings;
    }

    @Override
    public BitmapCommands bitmaps() {
        checkUsable();
        return bitmaps;
    }

    @Override
    public HashCommands hashes() {
        checkUsable();
        return hashes;
    }

    @Override
    public ListCommands lists() {
        checkUsable();
        return lists;
    }

    @Override
    public SetCommands sets() {
        checkUsable();
        return sets;
    }

    @Override
    public SortedSetCommands sortedSets() {
        checkUsable();
        return sortedSets;
    }
}
