package dev.cairn.dictionary.command;

import dev.cairn.dictionary.BinaryKeys;
import dev.cairn.dictionary.ScoredMember;
import java.util.Collection;
import java.util.List;

/**
 * Replies shared by many commands, shaped as Redis 7 shapes them for each protocol.
 *
 * <p>Stateless; thread-safe.
 */
final class Replies {
    /** A reply nobody reads: recovery replays commands only for their effects. */
    static final Reply DISCARD = new Reply() {
        @Override
        public int protocol() {
            return 2;
        }

        @Override
        public void writeSimpleString(String text) {
        }

        @Override
        public void writeError(String text) {
        }

        @Override
        public void writeInteger(long value) {
        }

        @Override
        public void writeBulk(byte[] bytes) {
        }

        @Override
        public void writeBulk(String text) {
        }

        @Override
        public void writeNullBulk() {
        }

        @Override
        public void writeNullArray() {
        }

        @Override
        public void writeArrayLength(long length) {
        }

        @Override
        public void writeMapLength(long pairs) {
        }

        @Override
        public void writeSetLength(long length) {
        }

        @Override
        public void writeDouble(double value) {
        }

        @Override
        public void writeBoolean(boolean value) {
        }

        @Override
        public void writeVerbatim(String format, String text) {
        }
    };

    private Replies() {
    }

    static void ok(Reply reply) {
        reply.writeSimpleString("OK");
    }

    /** A bulk string, or the null bulk for null. */
    static void bulkOrNull(Reply reply, byte[] value) {
        if (value == null) {
            reply.writeNullBulk();
        } else {
            reply.writeBulk(value);
        }
    }

    /** A key (or field) name as its bytes. */
    static void key(Reply reply, String key) {
        reply.writeBulk(BinaryKeys.toBytes(key));
    }

    /** An array of bulk strings, null elements as null bulks. */
    static void bulks(Reply reply, Collection<byte[]> values) {
        reply.writeArrayLength(values.size());
        for (byte[] value : values) {
            bulkOrNull(reply, value);
        }
    }

    /** A set of bulk strings (an array under RESP2). */
    static void bulkSet(Reply reply, Collection<byte[]> values) {
        reply.writeSetLength(values.size());
        for (byte[] value : values) {
            reply.writeBulk(value);
        }
    }

    /** An array of key names. */
    static void keys(Reply reply, Collection<String> keys) {
        reply.writeArrayLength(keys.size());
        for (String key : keys) {
            key(reply, key);
        }
    }

    /** 1 or 0, as Redis's commands that answer whether something happened. */
    static void flag(Reply reply, boolean value) {
        reply.writeInteger(value ? 1 : 0);
    }

    /**
     * Members with their scores, as ZRANGE ... WITHSCORES: RESP2 a flat array of member, score
     * (a bulk string), ...; RESP3 an array of [member, double] pairs.
     */
    static void scored(Reply reply, List<ScoredMember> members, boolean withScores) {
        if (!withScores) {
            reply.writeArrayLength(members.size());
            for (ScoredMember m : members) {
                reply.writeBulk(m.member());
            }
            return;
        }
        if (reply.protocol() >= 3) {
            reply.writeArrayLength(members.size());
            for (ScoredMember m : members) {
                reply.writeArrayLength(2);
                reply.writeBulk(m.member());
                reply.writeDouble(m.score());
            }
        } else {
            reply.writeArrayLength(members.size() * 2L);
            for (ScoredMember m : members) {
                reply.writeBulk(m.member());
                reply.writeDouble(m.score());
            }
        }
    }
}
