package dev.cairn.dictionary.internal;

import dev.cairn.dictionary.SortedSetCommands;

/**
 * The sorted-set commands, each one run under the {@link Engine}'s command lock.
 *
 * <p>Thread-safe: all state is in the engine, guarded by its lock.
 */
final class SortedSetCommandsImpl implements SortedSetCommands {
    private final Engine engine;

    SortedSetCommandsImpl(Engine engine) {
        this.engine = engine;
    }
}
