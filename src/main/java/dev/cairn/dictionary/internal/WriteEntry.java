package dev.cairn.dictionary.internal;

import java.util.List;

/**
 * The deterministic effect of one committed command or transaction, as Redis-style commands
 * (name first, then arguments) whose replay on the state before it gives the state after it.
 * Non-deterministic commands are normalized before they get here, as Redis does when it
 * propagates: relative deadlines become {@code PEXPIREAT}/{@code PXAT} absolute milliseconds,
 * an expiry becomes {@code DEL}, INCRBYFLOAT becomes {@code SET ... KEEPTTL} of the result,
 * random removals become explicit removals, a served blocking pop becomes the plain pop.
 *
 * <p>Immutable: the arrays are never changed after the entry is built.
 *
 * @param commands the commands in execution order, each as its argument byte strings
 */
public record WriteEntry(List<List<byte[]>> commands) {
    public WriteEntry {
        commands = List.copyOf(commands);
    }
}
