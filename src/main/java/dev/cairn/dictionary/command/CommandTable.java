package dev.cairn.dictionary.command;

import dev.cairn.dictionary.CommandViews;
import dev.cairn.dictionary.Dictionary;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The one table of commands: each declared once, by name, with its arity, flags, key positions
 * and handler. The Redis front end dispatches through it and answers COMMAND from it; recovery
 * replays the append-only file through it (the entries are the write commands in the forms the
 * dictionary logs them, see {@link #replay}); replicas will apply their master's stream the same
 * way.
 *
 * <p>{@link #dictionary()} holds the commands on data (keys, strings, hashes, lists, sets,
 * sorted sets, bitmaps); a front end adds its own (connection, server, pub/sub) with
 * {@link #builder(CommandTable)}.
 *
 * <p>Immutable; thread-safe.
 */
public final class CommandTable {
    private static final CommandTable DICTIONARY = createDictionaryTable();

    private final Map<String, CommandSpec> byName;
    /**
     * The commands again, for {@link #find(byte[])} on a client's bytes without making a String:
     * open addressing on a case-folded hash of the name, linear probing, at most half full. Names
     * are ASCII, so folding A-Z is all "any case" needs.
     */
    private final CommandSpec[] slots;
    private final byte[][] slotNames;

    private CommandTable(Map<String, CommandSpec> byName) {
        this.byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
        int capacity = Integer.highestOneBit(Math.max(8, byName.size() * 4 - 1));
        this.slots = new CommandSpec[capacity];
        this.slotNames = new byte[capacity][];
        byName.forEach((name, spec) -> {
            byte[] lower = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            int slot = foldedHash(lower) & (capacity - 1);
            while (slots[slot] != null) {
                slot = (slot + 1) & (capacity - 1);
            }
            slots[slot] = spec;
            slotNames[slot] = lower;
        });
    }

    private static int foldedHash(byte[] name) {
        int hash = 0;
        for (byte b : name) {
            hash = 31 * hash + lower(b);
        }
        return hash ^ (hash >>> 16);
    }

    private static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
    }

    /** Whether {@code name} in any case is {@code lowerName}. */
    private static boolean sameName(byte[] lowerName, byte[] name) {
        if (lowerName.length != name.length) {
            return false;
        }
        for (int i = 0; i < name.length; i++) {
            if (lowerName[i] != lower(name[i])) {
                return false;
            }
        }
        return true;
    }

    /** The commands on data, shared by every front end and by recovery. */
    public static CommandTable dictionary() {
        return DICTIONARY;
    }

    private static CommandTable createDictionaryTable() {
        Builder builder = new Builder(Map.of());
        KeyFamily.register(builder);
        StringFamily.register(builder);
        HashFamily.register(builder);
        ListFamily.register(builder);
        SetFamily.register(builder);
        SortedSetFamily.register(builder);
        MultiKeyPopFamily.register(builder);
        BitmapFamily.register(builder);
        KeyExtrasFamily.register(builder);
        return builder.build();
    }

    /** A builder starting with the commands of {@code base}. */
    public static Builder builder(CommandTable base) {
        return new Builder(base.byName);
    }

    /** The command named {@code name} in any case, or null. */
    public CommandSpec find(byte[] name) {
        int mask = slots.length - 1;
        for (int slot = foldedHash(name) & mask;; slot = (slot + 1) & mask) {
            CommandSpec spec = slots[slot];
            if (spec == null || sameName(slotNames[slot], name)) {
                return spec;
            }
        }
    }

    /** The command named {@code name} in any case, or null. */
    public CommandSpec find(String name) {
        return byName.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    /** Every command, in the order they were declared. */
    public Collection<CommandSpec> all() {
        return byName.values();
    }

    /**
     * Applies one logged write command to {@code views}: recovery's replay of the append-only
     * file. Only write commands are accepted.
     *
     * @throws IllegalArgumentException naming the command if it is not a write command of the
     *         table, has the wrong number of arguments, or was refused
     */
    public void replay(CommandViews views, List<byte[]> command) {
        Arguments args = new Arguments(command.toArray(new byte[0][]));
        CommandSpec spec = find(args.bytes(0));
        if (spec == null || !spec.is(CommandFlag.WRITE)) {
            throw new IllegalArgumentException("not a logged write command: " + args.name());
        }
        if (!spec.arityAccepts(args.count())) {
            throw new IllegalArgumentException("malformed logged command " + spec.name() + ": " + args.count()
                    + " arguments");
        }
        try {
            spec.handler().execute(new ReplaySession(views), args, Replies.DISCARD);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("logged command " + spec.name() + " was refused: " + e.getMessage(), e);
        }
    }

    /** The session recovery replays in: the dictionary's views only. */
    private record ReplaySession(CommandViews views) implements Session {
        @Override
        public Dictionary dictionary() {
            throw new IllegalStateException("a replayed command reaches only the dictionary's commands");
        }

        @Override
        public <T> T atomically(Function<CommandViews, T> block) {
            return block.apply(views);
        }
    }

    /** Collects command declarations; a name declared twice is an error. */
    public static final class Builder {
        private final Map<String, CommandSpec> byName;

        private Builder(Map<String, CommandSpec> base) {
            this.byName = new LinkedHashMap<>(base);
        }

        /** Declares a command. */
        public Builder add(CommandSpec spec) {
            if (byName.putIfAbsent(spec.name(), spec) != null) {
                throw new IllegalStateException("command " + spec.name() + " is declared twice");
            }
            return this;
        }

        /** Declares a command: see {@link CommandSpec} for the meaning of each field. */
        public Builder add(String name, int arity, String group, Set<CommandFlag> flags, int firstKey, int lastKey,
                int step, CommandHandler handler) {
            return add(new CommandSpec(name, arity, flags, firstKey, lastKey, step, group, handler));
        }

        /** Declares {@code spec} in place of the command of the same name, which must exist. */
        public Builder replace(CommandSpec spec) {
            if (byName.replace(spec.name(), spec) == null) {
                throw new IllegalStateException("command " + spec.name() + " is not declared");
            }
            return this;
        }

        public CommandTable build() {
            return new CommandTable(byName);
        }
    }

    /** Flags for a declaration. */
    public static Set<CommandFlag> flags(CommandFlag... flags) {
        return flags.length == 0 ? EnumSet.noneOf(CommandFlag.class) : EnumSet.of(flags[0], flags);
    }
}
