package dev.cairn.dictionary.command;

import dev.cairn.common.ClosedException;
import dev.cairn.dictionary.BusyKeyException;
import dev.cairn.dictionary.DumpPayloadException;
import dev.cairn.dictionary.IndexOutOfRangeException;
import dev.cairn.dictionary.NoSuchKeyException;
import dev.cairn.dictionary.NotAFloatException;
import dev.cairn.dictionary.NotAnIntegerException;
import dev.cairn.dictionary.OverflowException;
import dev.cairn.dictionary.WrongTypeException;

/**
 * The Redis error reply for an exception a command threw: the exact texts Redis 7 sends for the
 * same failure. Commands whose Redis text differs from the general one (HINCRBY's
 * {@code hash value is not an integer}) catch and rethrow a {@link CommandException} themselves.
 *
 * <p>Stateless; thread-safe.
 */
public final class ErrorReplies {
    public static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

    private ErrorReplies() {
    }

    /** The error line for {@code failure}, without the leading {@code -}. */
    public static String of(RuntimeException failure) {
        if (failure instanceof CommandException e) {
            return e.errorReply();
        }
        if (failure instanceof DumpPayloadException e) {
            return e.redisError();
        }
        if (failure instanceof BusyKeyException e) {
            return e.redisError();
        }
        if (failure instanceof WrongTypeException) {
            return WRONGTYPE;
        }
        if (failure instanceof NotAnIntegerException) {
            return Arguments.NOT_AN_INTEGER;
        }
        String message = String.valueOf(failure.getMessage());
        if (failure instanceof NotAFloatException) {
            if (message.contains("NaN or Infinity")) {
                return "ERR increment would produce NaN or Infinity";
            }
            if (message.startsWith("resulting score is not a number")) {
                return "ERR resulting score is not a number (NaN)";
            }
            return Arguments.NOT_A_FLOAT;
        }
        if (failure instanceof OverflowException) {
            if (message.startsWith("string exceeds maximum allowed size")) {
                return "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
            }
            if (message.startsWith("decrement would overflow")) {
                return "ERR decrement would overflow";
            }
            return "ERR increment or decrement would overflow";
        }
        if (failure instanceof NoSuchKeyException) {
            return "ERR no such key";
        }
        if (failure instanceof IndexOutOfRangeException) {
            return "ERR index out of range";
        }
        if (failure instanceof ClosedException) {
            return "ERR the dictionary is closed";
        }
        return "ERR " + message.replace('\r', ' ').replace('\n', ' ');
    }
}
