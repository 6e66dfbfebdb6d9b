package dev.cairn.dictionary.internal;

import dev.cairn.dictionary.Expiration;

/**
 * Turns the expiry arguments of SET, GETEX and the EXPIRE family into absolute deadlines in
 * milliseconds, with Redis's checks: SET and GETEX want a positive value; EXPIRE accepts any,
 * and each refuses a value whose conversion to milliseconds or addition to the base time
 * overflows ({@code ERR invalid expire time in '...' command}).
 *
 * <p>Stateless; thread-safe.
 */
final class Deadlines {
    private Deadlines() {
    }

    /** Checks what can be checked before the clock is read (SET/GETEX: positive values). */
    static void checkPositive(Expiration expiration, String command) {
        if (expiration == null) {
            return;
        }
        switch (expiration.kind()) {
            case SECONDS, MILLIS, AT_SECONDS, AT_MILLIS -> {
                if (expiration.value() <= 0) {
                    throw invalid(command, expiration.value());
                }
            }
            default -> {
                // KEEPTTL and PERSIST carry no value
            }
        }
    }

    /** The absolute deadline of an EX/PX/EXAT/PXAT expiration, read against {@code nowMs}. */
    static long absolute(Expiration expiration, long nowMs, String command) {
        return switch (expiration.kind()) {
            case SECONDS -> deadline(expiration.value(), 1000, nowMs, command);
            case MILLIS -> deadline(expiration.value(), 1, nowMs, command);
            case AT_SECONDS -> deadline(expiration.value(), 1000, 0, command);
            case AT_MILLIS -> deadline(expiration.value(), 1, 0, command);
            default -> throw new IllegalArgumentException(expiration.kind() + " has no deadline");
        };
    }

    /** {@code when * unitMs + baseMs}, refusing overflow as Redis does. */
    static long deadline(long when, long unitMs, long baseMs, String command) {
        if (unitMs != 1) {
            if (when > Long.MAX_VALUE / unitMs || when < Long.MIN_VALUE / unitMs) {
                throw invalid(command, when);
            }
            when *= unitMs;
        }
        if (baseMs > 0 && when > Long.MAX_VALUE - baseMs) {
            throw invalid(command, when);
        }
        if (baseMs < 0 && when < Long.MIN_VALUE - baseMs) {
            throw invalid(command, when);
        }
        return when + baseMs;
    }

    private static IllegalArgumentException invalid(String command, long value) {
        return new IllegalArgumentException("invalid expire time in '" + command + "' command: " + value);
    }
}
