package dev.cairn.storage.segment;

/** What opening a segmented file does about corruption found before its tail. */
public enum RecoveryMode {
    /** Refuse to open, naming the file and position (the default). A torn tail is still truncated. */
    STRICT,
    /**
     * Truncate at the first invalid entry, dropping everything after it, and report it, as
     * {@code redis-check-aof --fix} would. Chosen by an operator who accepts losing that data.
     */
    TRUNCATE_AT_CORRUPTION
}
