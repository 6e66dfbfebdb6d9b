/**
 * The shared storage layer: the one place in Cairn that touches files.
 *
 * <p>Everything durable is one of three things: a segmented append-only file
 * ({@link dev.cairn.storage.segment}), an atomically replaced small file
 * ({@link dev.cairn.storage.AtomicFile}), or the directory lock
 * ({@link dev.cairn.storage.DirectoryLock}). All of them reach the disk through the
 * file-system seam in {@link dev.cairn.storage.fs}, which has a real, an in-memory and a
 * fault-injecting implementation. {@link dev.cairn.storage.Storage} ties them to one data
 * directory and owns the background flusher.
 *
 * <p>Internal: not exported by the module. Nothing here imports the log or the dictionary.
 */
package dev.cairn.storage;
