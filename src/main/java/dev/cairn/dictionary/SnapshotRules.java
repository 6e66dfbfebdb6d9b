package dev.cairn.dictionary;

import java.util.List;
import java.util.Objects;

/**
 * When a persistent dictionary writes a snapshot by itself, like Redis's {@code save} lines and
 * {@code auto-aof-rewrite-min-size}: after any {@link SaveRule} is met, or once the append-only
 * file grows past {@code appendOnlyBytes}. A snapshot can also be asked for at any time with
 * {@link Dictionary#snapshot()}. Time is read from the dictionary's clock.
 *
 * @param saveRules snapshot when, for any rule, at least {@code changes} writes happened and at
 *     least {@code seconds} passed since the last snapshot; empty for none
 * @param appendOnlyBytes snapshot when the append-only file holds more bytes than this; 0 to
 *     disable
 */
public record SnapshotRules(List<SaveRule> saveRules, long appendOnlyBytes) {

    /** Redis's defaults: 3600 s and 1 change, 300 s and 100, 60 s and 10000; 64 MiB of append-only file. */
    public static final SnapshotRules DEFAULT = new SnapshotRules(
            List.of(new SaveRule(3600, 1), new SaveRule(300, 100), new SaveRule(60, 10_000)), 64L << 20);

    /** Snapshots only on demand. */
    public static final SnapshotRules ON_DEMAND = new SnapshotRules(List.of(), 0);

    public SnapshotRules {
        saveRules = List.copyOf(Objects.requireNonNull(saveRules, "saveRules"));
        if (appendOnlyBytes < 0) {
            throw new IllegalArgumentException("appendOnlyBytes must be >= 0, was " + appendOnlyBytes);
        }
    }

    /**
     * One {@code save <seconds> <changes>} line.
     *
     * @param seconds seconds since the last snapshot, at least 0
     * @param changes writes since the last snapshot, at least 1
     */
    public record SaveRule(long seconds, long changes) {
        public SaveRule {
            if (seconds < 0 || changes < 1) {
                throw new IllegalArgumentException("a save rule needs seconds >= 0 and changes >= 1, was "
                        + seconds + " and " + changes);
            }
        }
    }
}
