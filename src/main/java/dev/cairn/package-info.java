/**
 * The front door: {@code Cairn} opens a data directory (or memory) and owns the
 * storage layer, the {@code log} and the {@code dictionary}.
 */
package dev.cairn;
