package dev.cairn.storage.segment;

import dev.cairn.common.Durability;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link SegmentedFile} is laid out and synced.
 *
 * @param suffix file name suffix of its segments, e.g. {@code ".log"}
 * @param segmentBytes size past which {@link SegmentedFile#shouldRoll(int)} says to roll
 * @param maxEntryBytes the largest payload accepted; larger lengths on disk are corruption
 * @param durability when appended entries become durable
 * @param recoveryMode what to do about corruption before the tail
 * @param writeBufferBytes bytes of appends coalesced before one write to the file (see
 *     {@link Segment}); 0 writes every append through at once
 * @param companionSuffixes suffixes of the owner's files that belong to a segment (named by the
 *     same base, e.g. the log's indexes), deleted with it when it is replaced or deleted
 */
public record SegmentedFileOptions(String suffix, long segmentBytes, int maxEntryBytes, Durability durability,
        RecoveryMode recoveryMode, int writeBufferBytes, List<String> companionSuffixes) {

    public static final long DEFAULT_SEGMENT_BYTES = 1L << 30;
    public static final int DEFAULT_MAX_ENTRY_BYTES = 64 << 20;
    public static final int DEFAULT_WRITE_BUFFER_BYTES = 64 << 10;

    public SegmentedFileOptions {
        Objects.requireNonNull(suffix, "suffix");
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(recoveryMode, "recoveryMode");
        if (!suffix.startsWith(".") || suffix.length() < 2) {
            throw new IllegalArgumentException("segment suffix must start with '.', was '" + suffix + "'");
        }
        if (segmentBytes <= SegmentFormat.HEADER_SIZE) {
            throw new IllegalArgumentException("segment size must exceed the " + SegmentFormat.HEADER_SIZE
                    + "-byte header, was " + segmentBytes);
        }
        if (maxEntryBytes < 0) {
            throw new IllegalArgumentException("max entry size must be >= 0, was " + maxEntryBytes);
        }
        if (writeBufferBytes < 0) {
            throw new IllegalArgumentException("write buffer size must be >= 0, was " + writeBufferBytes);
        }
        companionSuffixes = List.copyOf(companionSuffixes);
        for (String companion : companionSuffixes) {
            if (!companion.startsWith(".") || companion.length() < 2 || companion.equals(suffix)) {
                throw new IllegalArgumentException("companion suffix must start with '.' and differ from the"
                        + " segment suffix '" + suffix + "', was '" + companion + "'");
            }
        }
    }

    /** Options without companion files. */
    public SegmentedFileOptions(String suffix, long segmentBytes, int maxEntryBytes, Durability durability,
            RecoveryMode recoveryMode, int writeBufferBytes) {
        this(suffix, segmentBytes, maxEntryBytes, durability, recoveryMode, writeBufferBytes, List.of());
    }

    /** 1 GiB segments, 64 MiB entries, {@link Durability#ALWAYS}, strict recovery, a 64 KiB write buffer. */
    public static SegmentedFileOptions defaults(String suffix) {
        return new SegmentedFileOptions(suffix, DEFAULT_SEGMENT_BYTES, DEFAULT_MAX_ENTRY_BYTES, Durability.ALWAYS,
                RecoveryMode.STRICT, DEFAULT_WRITE_BUFFER_BYTES);
    }

    public SegmentedFileOptions withSegmentBytes(long bytes) {
        return new SegmentedFileOptions(suffix, bytes, maxEntryBytes, durability, recoveryMode, writeBufferBytes,
                companionSuffixes);
    }

    public SegmentedFileOptions withMaxEntryBytes(int bytes) {
        return new SegmentedFileOptions(suffix, segmentBytes, bytes, durability, recoveryMode, writeBufferBytes,
                companionSuffixes);
    }

    public SegmentedFileOptions withDurability(Durability policy) {
        return new SegmentedFileOptions(suffix, segmentBytes, maxEntryBytes, policy, recoveryMode, writeBufferBytes,
                companionSuffixes);
    }

    public SegmentedFileOptions withWriteBufferBytes(int bytes) {
        return new SegmentedFileOptions(suffix, segmentBytes, maxEntryBytes, durability, recoveryMode, bytes,
                companionSuffixes);
    }

    public SegmentedFileOptions withCompanionSuffixes(List<String> suffixes) {
        return new SegmentedFileOptions(suffix, segmentBytes, maxEntryBytes, durability, recoveryMode, writeBufferBytes,
                suffixes);
    }

    public SegmentedFileOptions withRecoveryMode(RecoveryMode mode) {
        return new SegmentedFileOptions(suffix, segmentBytes, maxEntryBytes, durability, mode, writeBufferBytes,
                companionSuffixes);
    }
}
