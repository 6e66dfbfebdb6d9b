package dev.cairn.dictionary;

/**
 * What SET with options did.
 *
 * @param written  whether the value was stored (false when {@code NX} or {@code XX} refused)
 * @param oldValue with {@code GET}: the value before the command, or null if there was none;
 *                 without {@code GET}: always null
 */
public record SetResult(boolean written, byte[] oldValue) {
}
