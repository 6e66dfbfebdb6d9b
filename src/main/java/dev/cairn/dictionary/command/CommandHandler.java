package dev.cairn.dictionary.command;

/** Runs one command whose arity has been checked: reads {@code args}, writes one reply. */
@FunctionalInterface
public interface CommandHandler {
    /**
     * Runs the command.
     *
     * @throws CommandException (or a {@link dev.cairn.dictionary.DictionaryException} that
     *         {@link ErrorReplies} maps) for a refused command; nothing may have been written to
     *         {@code reply} then
     */
    void execute(Session session, Arguments args, Reply reply);
}
