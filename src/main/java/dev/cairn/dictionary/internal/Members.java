package dev.cairn.dictionary.internal;

import dev.cairn.dictionary.BinaryKeys;
import dev.cairn.dictionary.Glob;
import dev.cairn.dictionary.ScanArgs;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Argument and answer conversions shared by the set and sorted-set commands: members are copied in
 * (so a caller's later change to its array cannot reach the stored value) and copied out (so a
 * caller cannot change a stored member), and SSCAN/ZSCAN patterns are matched byte for byte.
 *
 * <p>Stateless; thread-safe.
 */
final class Members {
    private Members() {
    }

    /** A copy of one member argument. */
    static byte[] in(byte[] member) {
        return Objects.requireNonNull(member, "member").clone();
    }

    /** Copies of a non-empty array of member arguments. */
    static byte[][] in(byte[][] members) {
        if (members == null || members.length == 0) {
            throw new IllegalArgumentException("at least one member is required");
        }
        byte[][] copies = new byte[members.length][];
        for (int i = 0; i < members.length; i++) {
            copies[i] = in(members[i]);
        }
        return copies;
    }

    /** Copies of stored members, for an answer. */
    static List<byte[]> out(List<byte[]> members) {
        List<byte[]> copies = new ArrayList<>(members.size());
        for (byte[] member : members) {
            copies.add(member.clone());
        }
        return copies;
    }

    /** A scan's pattern as UTF-8 bytes for {@link #matches}; null when it matches everything. */
    static byte[] pattern(ScanArgs args) {
        if (args.type() != null) {
            throw new IllegalArgumentException("TYPE applies to SCAN only, not to SSCAN or ZSCAN");
        }
        // Redis skips matching for the pattern "*" (which, through its matcher, would not match "").
        return args.match() == null || args.match().equals("*") ? null : Glob.utf8(args.match());
    }

    /** Whether {@code member} matches a pattern from {@link #pattern} (null matches all). */
    static boolean matches(byte[] pattern, byte[] member) {
        return pattern == null || Glob.matches(pattern, member);
    }

    /** Whether a key or field (matched as its UTF-8 bytes) matches a pattern from {@link #pattern}. */
    static boolean matches(byte[] pattern, String name) {
        return pattern == null || Glob.matches(pattern, BinaryKeys.toBytes(name));
    }
}
