package dev.cairn.dictionary.internal;

import dev.cairn.dictionary.SetCommands;

/**
 * The set commands, each one run under the {@link Engine}'s command lock.
 *
 * <p>Thread-safe: all state is in the engine, guarded by its lock.
 */
final class SetCommandsImpl implements SetCommands {
    private final Engine engine;

    SetCommandsImpl(Engine engine) {
        this.engine = engine;
    }
}
