package dev.cairn.dictionary.internal;

import dev.cairn.dictionary.HashCommands;
import dev.cairn.dictionary.KeyCommands;
import dev.cairn.dictionary.ListCommands;
import dev.cairn.dictionary.SetCommands;
import dev.cairn.dictionary.SortedSetCommands;
import dev.cairn.dictionary.StringCommands;
import dev.cairn.dictionary.Transaction;

/**
 * The views handed to a transaction block: the dictionary's own views. Inside the block the
 * calling thread already holds the command lock, so each command takes it again (reentrantly)
 * and the {@link Engine} records its writes in the transaction's undo log instead of
 * committing them one by one.
 *
 * <p>Immutable; valid on the thread running the block.
 */
final class TransactionImpl implements Transaction {
    private final LocalDictionary dictionary;

    TransactionImpl(LocalDictionary dictionary) {
        this.dictionary = dictionary;
    }

    @Override
    public KeyCommands keys() {
        return dictionary.keys();
    }

    @Override
    public StringCommands strings() {
        return dictionary.strings();
    }

    @Override
    public HashCommands hashes() {
        return dictionary.hashes();
    }

    @Override
    public ListCommands lists() {
        return dictionary.lists();
    }

    @Override
    public SetCommands sets() {
        return dictionary.sets();
    }

    @Override
    public SortedSetCommands sortedSets() {
        return dictionary.sortedSets();
    }
}
