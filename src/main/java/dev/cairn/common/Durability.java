package dev.cairn.common;

/**
 * When an acknowledged write is safe from a crash of the process or the machine. One
 * policy serves both the log and the dictionary, like Redis's {@code appendfsync}.
 */
public enum Durability {
    /**
     * The call returns only after its bytes are fsynced. Concurrent writers share one fsync
     * (group commit), so throughput grows with the number of writers. Nothing acknowledged
     * is lost by a crash of the process or the machine.
     */
    ALWAYS,
    /**
     * A background flush fsyncs about once a second, and whenever 8 MiB of writes are unsynced
     * (on a thread of its own, beside the write-outs). Writes are coalesced in memory and handed
     * to the operating system by a background thread every 5 ms (and whenever 64 KiB gather, a
     * reader needs them, or the flush runs). A crash of the machine may lose the last second of
     * acknowledged writes. A crash of the process alone loses what was acknowledged since the
     * last write-out: normally at most 5 ms of writes, but the bound is only as good as the
     * scheduling of that thread, and with every core busy it has been measured at over 40 ms.
     * Use {@link #ALWAYS} where no acknowledged write may be lost.
     */
    EVERY_SECOND,
    /**
     * The operating system decides when to write back; Cairn fsyncs in the background only
     * every 8 MiB of writes, so that closing a full segment (always fsynced) finds little left to
     * write. Writes are coalesced as for {@link #EVERY_SECOND}: a crash of the process may lose
     * what was acknowledged since the last write-out (normally 5 ms, longer when the machine is
     * too busy to schedule the write-out thread); a crash of the machine whatever the OS had not
     * yet written.
     */
    NONE
}
