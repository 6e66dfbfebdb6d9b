/**
 * The dictionary's persistence files: the append-only file (one entry per committed write or
 * transaction, in parts that are {@link dev.cairn.storage.segment.SegmentedFile}s), point-in-time
 * snapshots, and the manifest that names the live snapshot and parts, as Redis 7's multi-part
 * AOF does. Formats: {@link dev.cairn.dictionary.persistence.AofEntryFormat},
 * {@link dev.cairn.dictionary.persistence.SnapshotFormat},
 * {@link dev.cairn.dictionary.persistence.ManifestFormat}.
 *
 * <p>Internal: not exported by the module.
 */
package dev.cairn.dictionary.persistence;
