package dev.cairn.dictionary.command;

/** The commands on hash values. */
final class HashFamily {

    private HashFamily() {
    }

    static void register(CommandTable.Builder b) {
    }
}
