package dev.cairn.dictionary.command;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * One command, declared once: its name, arity, flags, key positions, group and handler.
 *
 * @param name     the name in lower case, as COMMAND reports it
 * @param arity    Redis's arity: {@code n > 0} exactly n arguments (the name included),
 *                 {@code n < 0} at least {@code -n}
 * @param flags    what kind of command it is
 * @param firstKey the index of the first key argument, 0 if none
 * @param lastKey  the index of the last key, negative counting from the end ({@code -1}: the last argument)
 * @param step     the distance between keys
 * @param group    Redis's command group ({@code string}, {@code list}, {@code generic}, ...)
 * @param handler  what runs it
 */
public record CommandSpec(String name, int arity, Set<CommandFlag> flags, int firstKey, int lastKey, int step,
        String group, CommandHandler handler) {

    public CommandSpec {
        name = name.toLowerCase(Locale.ROOT);
        flags = flags.isEmpty() ? Collections.emptySet() : Collections.unmodifiableSet(EnumSet.copyOf(flags));
    }

    /** Whether {@code argumentCount} arguments (the name included) fit the arity. */
    public boolean arityAccepts(int argumentCount) {
        return arity > 0 ? argumentCount == arity : argumentCount >= -arity;
    }

    public boolean is(CommandFlag flag) {
        return flags.contains(flag);
    }

    /** The indexes of the key arguments of a call with {@code argumentCount} arguments. */
    public int[] keyIndexes(int argumentCount) {
        if (firstKey == 0) {
            return new int[0];
        }
        int last = lastKey < 0 ? argumentCount + lastKey : lastKey;
        if (last < firstKey) {
            return new int[0];
        }
        int[] indexes = new int[(last - firstKey) / step + 1];
        for (int i = 0; i < indexes.length; i++) {
            indexes[i] = firstKey + i * step;
        }
        return indexes;
    }
}
