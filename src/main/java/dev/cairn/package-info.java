/**
 * The front door: {@link dev.cairn.Cairn} opens a data directory (or memory) and owns the
 * storage layer, the {@link dev.cairn.log log} and the {@link dev.cairn.dictionary dictionary}.
 */
package dev.cairn;
