package dev.cairn.dictionary.command;

/** The commands on list values. */
final class ListFamily {

    private ListFamily() {
    }

    static void register(CommandTable.Builder b) {
    }
}
