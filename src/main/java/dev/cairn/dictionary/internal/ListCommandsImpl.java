package dev.cairn.dictionary.internal;

import dev.cairn.dictionary.ListCommands;

/**
 * The list commands, each one run under the {@link Engine}'s command lock.
 *
 * <p>Thread-safe: all state is in the engine, guarded by its lock.
 */
final class ListCommandsImpl implements ListCommands {
    private final Engine engine;

    ListCommandsImpl(Engine engine) {
        this.engine = engine;
    }
}
