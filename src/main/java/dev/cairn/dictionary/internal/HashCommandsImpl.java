package dev.cairn.dictionary.internal;

import dev.cairn.dictionary.HashCommands;

/**
 * The hash commands, each one run under the {@link Engine}'s command lock.
 *
 * <p>Thread-safe: all state is in the engine, guarded by its lock.
 */
final class HashCommandsImpl implements HashCommands {
    private final Engine engine;

    HashCommandsImpl(Engine engine) {
        this.engine = engine;
    }
}
