package dev.cairn.server.redis;

import dev.cairn.dictionary.command.Arguments;
import dev.cairn.dictionary.command.CommandException;
import dev.cairn.dictionary.command.CommandFlag;
import dev.cairn.dictionary.command.CommandSpec;
import dev.cairn.dictionary.command.CommandTable;
import dev.cairn.dictionary.command.Reply;
import dev.cairn.dictionary.command.Session;
import dev.cairn.dictionary.Glob;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * COMMAND and its subcommands (COUNT, INFO, DOCS, LIST, GETKEYS), answered from the command
 * table in Redis 7.0's shapes: each command as {@code [name, arity, flags, first key, last key,
 * step, ACL categories, tips, key specs, subcommands]}.
 */
final class CommandReport {
    private CommandReport() {
    }

    static void execute(Session s, Arguments a, Reply r) {
        CommandTable table = ((ClientConnection) s).server.dispatcher.table();
        if (a.count() == 1) {
            Collection<CommandSpec> all = table.all();
            r.writeArrayLength(all.size());
            all.forEach(spec -> info(spec, r));
        } else if (a.is(1, "COUNT") && a.count() == 2) {
            r.writeInteger(table.all().size());
        } else if (a.is(1, "INFO")) {
            Collection<CommandSpec> specs = a.count() == 2 ? table.all() : null;
            if (specs != null) {
                r.writeArrayLength(specs.size());
                specs.forEach(spec -> info(spec, r));
                return;
            }
            r.writeArrayLength(a.count() - 2);
            for (int i = 2; i < a.count(); i++) {
                CommandSpec spec = table.find(a.bytes(i));
                if (spec == null) {
                    r.writeNullArray();
                } else {
                    info(spec, r);
                }
            }
        } else if (a.is(1, "DOCS")) {
            List<CommandSpec> specs = new ArrayList<>();
            if (a.count() == 2) {
                specs.addAll(table.all());
            } else {
                for (int i = 2; i < a.count(); i++) {
                    CommandSpec spec = table.find(a.bytes(i));
                    if (spec != null) {
                        specs.add(spec);
                    }
                }
            }
            r.writeMapLength(specs.size());
            for (CommandSpec spec : specs) {
                r.writeBulk(spec.name());
                r.writeMapLength(1);
                r.writeBulk("group");
                r.writeBulk(spec.group());
            }
        } else if (a.is(1, "LIST")) {
            list(table, a, r);
        } else if (a.is(1, "GETKEYS") && a.count() >= 3) {
            getKeys(table, a, r);
        } else {
            throw ClientCommand.unknownSubcommand(a, "COMMAND");
        }
    }

    private static void info(CommandSpec spec, Reply r) {
        r.writeArrayLength(10);
        r.writeBulk(spec.name());
        r.writeInteger(spec.arity());
        r.writeSetLength(spec.flags().size());
        for (CommandFlag flag : spec.flags()) {
            r.writeSimpleString(flag.redisName());
        }
        r.writeInteger(spec.firstKey());
        r.writeInteger(spec.lastKey());
        r.writeInteger(spec.step());
        Set<String> categories = categories(spec);
        r.writeSetLength(categories.size());
        for (String category : categories) {
            r.writeSimpleString(category);
        }
        r.writeSetLength(0);
        r.writeArrayLength(0);
        r.writeArrayLength(0);
    }

    /** Redis's ACL categories of a command, derived from its flags and group. */
    static Set<String> categories(CommandSpec spec) {
        Set<String> categories = new LinkedHashSet<>();
        if (spec.is(CommandFlag.WRITE)) {
            categories.add("@write");
        }
        if (spec.is(CommandFlag.READONLY)) {
            categories.add("@read");
        }
        String group = switch (spec.group()) {
            case "generic" -> "@keyspace";
            case "string" -> "@string";
            case "bitmap" -> "@bitmap";
            case "hash" -> "@hash";
            case "list" -> "@list";
            case "set" -> "@set";
            case "sorted-set", "sortedset" -> "@sortedset";
            case "pubsub" -> "@pubsub";
            case "transactions" -> "@transaction";
            case "scripting" -> "@scripting";
            case "connection" -> "@connection";
            default -> null;
        };
        if (group != null) {
            categories.add(group);
        }
        if (spec.is(CommandFlag.ADMIN)) {
            categories.add("@admin");
            categories.add("@dangerous");
        }
        categories.add(spec.is(CommandFlag.FAST) ? "@fast" : "@slow");
        if (spec.is(CommandFlag.BLOCKING)) {
            categories.add("@blocking");
        }
        return categories;
    }

    private static void list(CommandTable table, Arguments a, Reply r) {
        List<String> names = new ArrayList<>();
        if (a.count() == 2) {
            table.all().forEach(spec -> names.add(spec.name()));
        } else if (a.count() == 5 && a.is(2, "FILTERBY")) {
            for (CommandSpec spec : table.all()) {
                boolean keep;
                if (a.is(3, "PATTERN")) {
                    keep = Glob.matches(a.text(4).toLowerCase(java.util.Locale.ROOT), spec.name());
                } else if (a.is(3, "ACLCAT")) {
                    keep = categories(spec).contains("@" + a.text(4).toLowerCase(java.util.Locale.ROOT));
                } else if (a.is(3, "MODULE")) {
                    keep = false;
                } else {
                    throw Arguments.syntax();
                }
                if (keep) {
                    names.add(spec.name());
                }
            }
        } else {
            throw Arguments.syntax();
        }
        r.writeArrayLength(names.size());
        names.forEach(r::writeBulk);
    }

    private static void getKeys(CommandTable table, Arguments a, Reply r) {
        CommandSpec spec = table.find(a.bytes(2));
        if (spec == null) {
            throw new CommandException("ERR Invalid command specified");
        }
        int count = a.count() - 2;
        if (!spec.arityAccepts(count)) {
            throw new CommandException("ERR Invalid number of arguments specified for command");
        }
        int[] indexes = spec.keyIndexes(count);
        if (indexes.length == 0) {
            throw new CommandException("ERR The command has no key arguments");
        }
        r.writeArrayLength(indexes.length);
        for (int index : indexes) {
            r.writeBulk(a.bytes(index + 2));
        }
    }
}
