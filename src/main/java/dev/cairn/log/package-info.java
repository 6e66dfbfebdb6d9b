/**
 * The commit log: topics split into partitions, each an ordered, append-only sequence of
 * key-value records with offsets; producers, consumers and consumer groups.
 *
 * <p>This package holds only what users touch; the implementation lives in
 * {@code dev.cairn.log.internal}.
 */
package dev.cairn.log;
