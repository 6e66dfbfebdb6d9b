package dev.cairn.server.redis;

import dev.cairn.dictionary.BinaryKeys;
import dev.cairn.dictionary.command.Arguments;
import dev.cairn.dictionary.command.CommandSpec;
import dev.cairn.dictionary.command.CommandTable;
import dev.cairn.dictionary.command.ErrorReplies;
import dev.cairn.dictionary.command.Reply;
import dev.cairn.dictionary.command.Session;

/**
 * Runs one command through a {@link CommandTable} as Redis's {@code processCommand} does: an
 * unknown name or a wrong number of arguments is refused with Redis's texts before the command
 * runs; a refused command's exception becomes its error reply.
 *
 * <p>Thread-safe if its table is (it is immutable).
 */
final class CommandDispatcher {
    private final CommandTable table;

    CommandDispatcher(CommandTable table) {
        this.table = table;
    }

    CommandTable table() {
        return table;
    }

    /**
     * The command {@code args} names, or null after writing Redis's refusal (unknown command,
     * wrong number of arguments) to {@code reply}.
     */
    CommandSpec resolve(byte[][] args, Reply reply) {
        CommandSpec spec = table.find(args[0]);
        if (spec == null) {
            reply.writeError(unknownCommand(args));
            return null;
        }
        if (!spec.arityAccepts(args.length)) {
            reply.writeError("ERR wrong number of arguments for '" + spec.name() + "' command");
            return null;
        }
        return spec;
    }

    /** Runs a resolved command, writing its reply or its error. */
    static void run(CommandSpec spec, Session session, byte[][] args, Reply reply) {
        try {
            spec.handler().execute(session, new Arguments(args), reply);
        } catch (RuntimeException e) {
            reply.writeError(ErrorReplies.of(e));
        }
    }

    /** Resolves and runs {@code args}. */
    void execute(Session session, byte[][] args, Reply reply) {
        CommandSpec spec = resolve(args, reply);
        if (spec != null) {
            run(spec, session, args, reply);
        }
    }

    /**
     * Redis 7.0's text for an unknown command: the name (at most 128 bytes), then the arguments
     * quoted, each cut so that the list stays near 128 bytes.
     */
    static String unknownCommand(byte[][] args) {
        StringBuilder text = new StringBuilder("ERR unknown command '")
                .append(latin(args[0], 128)).append("', with args beginning with: ");
        int listed = 0;
        for (int i = 1; i < args.length && listed < 128; i++) {
            int length = Math.min(args[i].length, 128 - listed);
            text.append('\'').append(BinaryKeys.fromBytes(args[i], 0, length)).append("' ");
            listed += length + 3;
        }
        return text.toString();
    }

    /**
     * At most {@code limit} bytes of {@code bytes} as a string that the writer turns back into
     * the same bytes ({@link BinaryKeys}).
     */
    private static String latin(byte[] bytes, int limit) {
        return BinaryKeys.fromBytes(bytes, 0, Math.min(bytes.length, limit));
    }
}
