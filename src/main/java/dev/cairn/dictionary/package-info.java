/**
 * The data-structure store: binary-safe keys holding strings, hashes, lists, sets and
 * sorted sets, with expiry and all-or-nothing transactions.
 *
 * <p>This package holds only what users touch; the implementation lives in
 * {@code dev.cairn.dictionary.internal}.
 */
package dev.cairn.dictionary;
