package dev.cairn.dictionary.internal;

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
 * The handle one transaction block gets: views that run the dictionary's own commands, each
 * first checking that the block is still running and that the caller is the thread running it.
 * Inside the block that thread already holds the command lock, so each command takes it again
 * (reentrantly) and the {@link Engine} records its writes in the transaction's undo log instead
 * of committing them one by one.
 *
 * <p>A handle (or a view taken from it) kept after the block returns would otherwise write as
 * plain commands, and one used from another thread during the block would wait for the lock the
 * block holds, possibly for ever: both get an {@link IllegalStateException} at once.
 *
 * <p>One per block. The views are created by the owner thread; {@link #end} may be seen by any
 * thread ({@code ended} is volatile).
 */
final class TransactionImpl implements Transaction {
    private final LocalDictionary dictionary;
    private final Thread owner;
    private volatile boolean ended;
    private KeyCommands keys;
    private StringCommands strings;
    private HashCommands hashes;
    private ListCommands lists;
    private SetCommands sets;
    private SortedSetCommands sortedSets;

    /** A handle for a block about to run on the calling thread. */
    TransactionImpl(LocalDictionary dictionary) {
        this.dictionary = dictionary;
        this.owner = Thread.currentThread();
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
        if (caller != owner) {
            throw new IllegalStateException("this transaction belongs to another thread ('" + owner.getName()
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
        if (keys == null) {
            keys = guarded(KeyCommands.class, dictionary.keys());
        }
        return keys;
    }

    @Override
    public StringCommands strings() {
        checkUsable();
        if (strings == null) {
            strings = guarded(StringCommands.class, dictionary.strings());
        }
        return strings;
    }

    @Override
    public HashCommands hashes() {
        checkUsable();
        if (hashes == null) {
            hashes = guarded(HashCommands.class, dictionary.hashes());
        }
        return hashes;
    }

    @Override
    public ListCommands lists() {
        checkUsable();
        if (lists == null) {
            lists = guarded(ListCommands.class, dictionary.lists());
        }
        return lists;
    }

    @Override
    public SetCommands sets() {
        checkUsable();
        if (sets == null) {
            sets = guarded(SetCommands.class, dictionary.sets());
        }
        return sets;
    }

    @Override
    public SortedSetCommands sortedSets() {
        checkUsable();
        if (sortedSets == null) {
            sortedSets = guarded(SortedSetCommands.class, dictionary.sortedSets());
        }
        return sortedSets;
    }
}
