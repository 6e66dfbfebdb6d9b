package dev.cairn.dictionary;

/**
 * The options of RESTORE: {@code REPLACE} (overwrite an existing key), {@code ABSTTL} (the ttl is
 * a Unix time in milliseconds, not a duration), and one of {@code IDLETIME seconds} and
 * {@code FREQ frequency}, which Redis uses to seed its eviction clocks. Cairn keeps no access
 * clocks, so the last two are validated as Redis validates them and otherwise have no effect.
 *
 * @param replace      overwrite the key if it exists
 * @param absoluteTtl  read the ttl as a deadline in Unix milliseconds
 * @param idleSeconds  IDLETIME, or -1 for none; never below -1
 * @param frequency    FREQ in 0..255, or -1 for none; not together with an IDLETIME
 */
public record RestoreArgs(boolean replace, boolean absoluteTtl, long idleSeconds, int frequency) {

    /** No option. */
    public static final RestoreArgs DEFAULT = new RestoreArgs(false, false, -1, -1);

    public RestoreArgs {
        if (idleSeconds < -1) {
            throw new IllegalArgumentException("Invalid IDLETIME value, must be >= 0");
        }
        if (frequency < -1 || frequency > 255) {
            throw new IllegalArgumentException("Invalid FREQ value, must be >= 0 and <= 255");
        }
        if (idleSeconds != -1 && frequency != -1) {
            // Redis parses only one of the two; the other is a syntax error.
            throw new IllegalArgumentException("syntax error: IDLETIME and FREQ cannot be given together");
        }
    }

    /** This with REPLACE. */
    public RestoreArgs withReplace() {
        return new RestoreArgs(true, absoluteTtl, idleSeconds, frequency);
    }

    /** This with ABSTTL. */
    public RestoreArgs withAbsoluteTtl() {
        return new RestoreArgs(replace, true, idleSeconds, frequency);
    }
}
