package dev.cairn.dictionary.command;

/** The commands on set values. */
final class SetFamily {

    private SetFamily() {
    }

    static void register(CommandTable.Builder b) {
    }
}
