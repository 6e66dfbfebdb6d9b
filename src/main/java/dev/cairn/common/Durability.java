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
     * A background flush fsyncs about once a second. A crash of the machine may lose the
     * last second of acknowledged writes; a crash of the process alone loses nothing.
     */
    EVERY_SECOND,
    /**
     * The operating system decides when to write back. A crash of the process loses
     * nothing; a crash of the machine may lose whatever the OS had not yet written.
     */
    NONE
}
