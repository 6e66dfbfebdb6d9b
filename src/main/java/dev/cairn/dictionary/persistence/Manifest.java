package dev.cairn.dictionary.persistence;

import java.util.List;

/**
 * Which files hold the dictionary: the live snapshot (if any) and the append-only parts to
 * replay after it, oldest first. Recovery = load the snapshot, then replay every part in order.
 *
 * <p>Invariants: part ids strictly increase; a snapshot's id is the id of the part opened when
 * it started (the first part whose entries it does not cover), so it is at most the first part's
 * id.
 *
 * @param snapshotId the live snapshot's id, or {@link #NO_SNAPSHOT}
 * @param snapshotSequence the number of append-only entries the snapshot covers: replay starts
 *     at this sequence number (0 without a snapshot)
 * @param parts ids of the append-only parts to replay, oldest first; never empty
 */
public record Manifest(long snapshotId, long snapshotSequence, List<Long> parts) {
    public static final long NO_SNAPSHOT = -1;

    public Manifest {
        parts = List.copyOf(parts);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a manifest names at least one append-only part");
        }
        for (int i = 1; i < parts.size(); i++) {
            if (parts.get(i) <= parts.get(i - 1)) {
                throw new IllegalArgumentException("append-only part ids must increase: " + parts);
            }
        }
        if (snapshotId != NO_SNAPSHOT && snapshotId > parts.get(0)) {
            throw new IllegalArgumentException("snapshot " + snapshotId + " cannot follow part " + parts.get(0));
        }
        if (snapshotSequence < 0) {
            throw new IllegalArgumentException("snapshot sequence must be >= 0, was " + snapshotSequence);
        }
    }

    /** The manifest of a new, empty dictionary: no snapshot, one part (id 1). */
    public static Manifest initial() {
        return new Manifest(NO_SNAPSHOT, 0, List.of(1L));
    }

    public boolean hasSnapshot() {
        return snapshotId != NO_SNAPSHOT;
    }

    /** The part that takes appends. */
    public long activePart() {
        return parts.get(parts.size() - 1);
    }
}
