/**
 * Segmented append-only files: a directory of segments, each a header and a run of framed,
 * checksummed entries, appended at the tail by one writer, read anywhere by many readers,
 * rolled by size, deleted whole from the head, recovered on open. The log's partitions and the
 * dictionary's append-only file are both built on {@link dev.cairn.storage.segment.SegmentedFile}.
 * The bytes are described by {@link dev.cairn.storage.segment.SegmentFormat}.
 */
package dev.cairn.storage.segment;
