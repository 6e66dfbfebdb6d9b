package dev.cairn.dictionary.internal;

import dev.cairn.dictionary.Watch;
import java.util.List;

/**
 * A watch registered with the {@link Engine}: any write to one of its keys sets {@link #dirty}.
 * Active from creation until used by a transaction or closed.
 *
 * <p>Fields are guarded by the command lock; the public methods take it.
 */
final class WatchImpl implements Watch {
    final Engine engine;
    final List<String> keys;
    boolean dirty;
    boolean active = true;

    WatchImpl(Engine engine, List<String> keys) {
        this.engine = engine;
        this.keys = keys;
    }

    @Override
    public List<String> keys() {
        return keys;
    }

    @Override
    public boolean changed() {
        return engine.watchChanged(this);
    }

    @Override
    public void close() {
        engine.unwatch(this);
    }
}
