package dev.cairn.dictionary;

/** An end of a list, for LMOVE and BLMOVE: {@code LEFT} is the head, {@code RIGHT} the tail. */
public enum ListEnd {
    /** The head (index 0). */
    LEFT,
    /** The tail (index -1). */
    RIGHT
}
