package dev.cairn.dictionary;

/** Where LINSERT puts the new element relative to the pivot. */
public enum ListInsert {
    /** Before the pivot (nearer the head). */
    BEFORE,
    /** After the pivot (nearer the tail). */
    AFTER
}
