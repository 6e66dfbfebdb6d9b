/**
 * The dictionary's one command table: every Redis command on data declared once, with its name,
 * arity, flags, key positions and handler, which parses Redis's arguments, calls the
 * {@link dev.cairn.dictionary.Dictionary}'s public API and writes Redis 7's reply.
 *
 * <p>The Redis front end dispatches through {@link dev.cairn.dictionary.command.CommandTable}
 * and answers COMMAND from it; recovery replays the append-only file through it. This package
 * uses only the dictionary's public API; it is not exported to users.
 */
package dev.cairn.dictionary.command;
