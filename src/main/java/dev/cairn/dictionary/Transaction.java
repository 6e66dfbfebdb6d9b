package dev.cairn.dictionary;

/**
 * The commands available inside {@link Dictionary#transaction}: the same views as the
 * dictionary. Each command inside the block runs at once and its effects are visible to the
 * commands after it; no other command runs until the block ends. If a command fails or the
 * block throws, every effect of the block is undone.
 *
 * <p>Valid only on the thread running the block and only until the block returns: the handle,
 * and every view taken from it, refuse use after the block returned or from another thread with
 * an {@link IllegalStateException} (a kept handle would otherwise write outside the transaction,
 * and another thread would wait for the block, which holds the dictionary, possibly for ever).
 * Blocking commands (BLPOP, ...) never block here: they answer as if their timeout had passed, as
 * Redis does inside MULTI.
 */
public interface Transaction extends CommandViews {
}
