package dev.cairn.dictionary;

/**
 * The dictionary's commands, grouped by the type of value they work on: what a {@link Dictionary}
 * and a {@link Transaction} block both offer.
 */
public interface CommandViews {

    /** Commands on keys of any type. */
    KeyCommands keys();

    /** Commands on strings. */
    StringCommands strings();

    /** Commands on strings as arrays of bits. */
    BitmapCommands bitmaps();

    /** Commands on hashes. */
    HashCommands hashes();

    /** Commands on lists. */
    ListCommands lists();

    /** Commands on sets. */
    SetCommands sets();

    /** Commands on sorted sets. */
    SortedSetCommands sortedSets();
}
