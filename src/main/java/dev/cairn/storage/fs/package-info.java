/**
 * The file-system seam: {@link dev.cairn.storage.fs.StorageFileSystem} and
 * {@link dev.cairn.storage.fs.StorageFile}, with real files, memory (for an in-memory Cairn and
 * fast tests, able to simulate a machine crash), real files under a layer in memory that takes every
 * change (a read-only open) and a fault-injecting wrapper (torn writes,
 * failed fsync, full disk, bit flips) for the reliability tests.
 */
package dev.cairn.storage.fs;
