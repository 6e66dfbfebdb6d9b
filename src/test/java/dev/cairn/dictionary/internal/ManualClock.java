package dev.cairn.dictionary.internal;

import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/** A clock for tests: time moves only when told to, and may move backwards. Thread-safe. */
public final class ManualClock implements InstantSource {
    private final AtomicLong millis;

    public ManualClock(long startMillis) {
        this.millis = new AtomicLong(startMillis);
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public long millis() {
        return millis.get();
    }

    public void set(long newMillis) {
        millis.set(newMillis);
    }

    public void advance(long deltaMillis) {
        millis.addAndGet(deltaMillis);
    }
}
