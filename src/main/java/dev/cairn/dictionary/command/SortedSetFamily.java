package dev.cairn.dictionary.command;

/** The commands on sorted set values. */
final class SortedSetFamily {

    private SortedSetFamily() {
    }

    static void register(CommandTable.Builder b) {
    }
}
