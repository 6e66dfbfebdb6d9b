package dev.cairn.log.internal.replica;

import dev.cairn.log.TopicPartition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The messages nodes exchange to replicate partitions, and their encoding in the frames a
 * {@link dev.cairn.cluster.Transport} carries.
 *
 * <p>Every request starts with a version byte ({@link #VERSION}) and a kind byte; a response
 * starts with the version byte and holds the fields of its request's kind. Big-endian; a string
 * is a 2-byte length and UTF-8 bytes; a list is a 4-byte count and its elements; a partition is
 * its topic string and a 4-byte index. The fields, in order, are those of the records below.
 *
 * <pre>
 *  kind 1 FETCH           (follower to leader)      response: FetchResponse
 *  kind 2 ALTER_PARTITION (leader to controller)    response: AlterPartitionResponse
 *  kind 3 HEARTBEAT       (any node to controller)  response: HeartbeatResponse
 *  kind 4 PARTITION_STATE (controller to replicas)  response: the version byte alone
 * </pre>
 */
final class ReplicationProtocol {
    static final byte VERSION = 1;
    static final byte FETCH = 1;
    static final byte ALTER_PARTITION = 2;
    static final byte HEARTBEAT = 3;
    static final byte PARTITION_STATE = 4;

    private ReplicationProtocol() {
    }

    /**
     * A follower asks for batches from {@code fetchOffset}, its log end, whose last record has
     * {@code lastFetchedEpoch}; {@code replicaIncarnation} tells the leader which start of the
     * follower's process the position belongs to.
     */
    record Fetch(int replicaId, long replicaIncarnation, TopicPartition partition, int currentLeaderEpoch,
            long fetchOffset, int lastFetchedEpoch, long maxWaitMs, int maxBytes) {
    }

    /**
     * The leader's answer: batches from the fetch offset (possibly none), or where the follower's
     * history diverges from the leader's ({@code divergingEpoch} at least 0, or -1 with
     * {@code divergingEndOffset} -1 when the leader knows no epoch at or below the follower's last).
     */
    record FetchResponse(ReplicaError error, int leaderEpoch, long highWatermark, long logStartOffset,
            long logEndOffset, boolean diverged, int divergingEpoch, long divergingEndOffset, ByteBuffer records) {
        static FetchResponse error(ReplicaError error, int leaderEpoch) {
            return new FetchResponse(error, leaderEpoch, -1, -1, -1, false, -1, -1, ByteBuffer.allocate(0));
        }
    }

    /**
     * A leader asks the controller to change the in-sync set of a partition it leads, from
     * {@code base}; {@code incarnations} has, for each member of {@code newIsr}, the incarnation
     * whose fetches put it there (Kafka's KIP-903: a member that restarted since cannot join on the
     * strength of its former self's fetches).
     */
    record AlterPartition(int leaderId, PartitionState base, List<Integer> newIsr, List<Long> incarnations) {
    }

    /** The controller's answer: the partition's state now (the requested one when accepted). */
    record AlterPartitionResponse(ReplicaError error, PartitionState state) {
    }

    /**
     * A node's sign of life; {@code incarnation} changes every time the node starts. A node that
     * is {@code leaving} (its storage failed, or it stops) asks to be taken for dead now, so its
     * partitions get new leaders without waiting for its session to time out.
     */
    record Heartbeat(int nodeId, long incarnation, boolean leaving) {
    }

    /** The controller's answer: the state of every partition with a replica on the node. */
    record HeartbeatResponse(ReplicaError error, List<PartitionState> states) {
    }

    static ByteBuffer encode(Fetch f) {
        Writer w = new Writer(FETCH);
        w.putInt(f.replicaId());
        w.putLong(f.replicaIncarnation());
        w.putPartition(f.partition());
        w.putInt(f.currentLeaderEpoch());
        w.putLong(f.fetchOffset());
        w.putInt(f.lastFetchedEpoch());
        w.putLong(f.maxWaitMs());
        w.putInt(f.maxBytes());
        return w.done();
    }

    static Fetch decodeFetch(ByteBuffer b) {
        return new Fetch(b.getInt(), b.getLong(), partition(b), b.getInt(), b.getLong(), b.getInt(), b.getLong(),
                b.getInt());
    }

    static ByteBuffer encode(FetchResponse r) {
        // Sized for the records up front: a fetch response carries up to a megabyte of them.
        Writer w = new Writer(-1, 64 + r.records().remaining());
        w.putByte(r.error().code());
        w.putInt(r.leaderEpoch());
        w.putLong(r.highWatermark());
        w.putLong(r.logStartOffset());
        w.putLong(r.logEndOffset());
        w.putByte((byte) (r.diverged() ? 1 : 0));
        w.putInt(r.divergingEpoch());
        w.putLong(r.divergingEndOffset());
        w.putBytes(r.records());
        return w.done();
    }

    static FetchResponse decodeFetchResponse(ByteBuffer b) {
        checkVersion(b);
        return new FetchResponse(ReplicaError.of(b.get()), b.getInt(), b.getLong(), b.getLong(), b.getLong(),
                b.get() != 0, b.getInt(), b.getLong(), bytes(b));
    }

    static ByteBuffer encode(AlterPartition a) {
        Writer w = new Writer(ALTER_PARTITION);
        w.putInt(a.leaderId());
        w.putState(a.base());
        w.putInts(a.newIsr());
        w.putInt(a.incarnations().size());
        for (long incarnation : a.incarnations()) {
            w.putLong(incarnation);
        }
        return w.done();
    }

    static AlterPartition decodeAlterPartition(ByteBuffer b) {
        int leader = b.getInt();
        PartitionState base = state(b);
        List<Integer> isr = ints(b);
        int n = count(b, Long.BYTES);
        List<Long> incarnations = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            incarnations.add(b.getLong());
        }
        return new AlterPartition(leader, base, isr, incarnations);
    }

    static ByteBuffer encode(AlterPartitionResponse r) {
        Writer w = new Writer(-1);
        w.putByte(r.error().code());
        w.putState(r.state());
        return w.done();
    }

    static AlterPartitionResponse decodeAlterPartitionResponse(ByteBuffer b) {
        checkVersion(b);
        return new AlterPartitionResponse(ReplicaError.of(b.get()), state(b));
    }

    static ByteBuffer encode(Heartbeat h) {
        Writer w = new Writer(HEARTBEAT);
        w.putInt(h.nodeId());
        w.putLong(h.incarnation());
        w.putByte((byte) (h.leaving() ? 1 : 0));
        return w.done();
    }

    static Heartbeat decodeHeartbeat(ByteBuffer b) {
        return new Heartbeat(b.getInt(), b.getLong(), b.get() != 0);
    }

    static ByteBuffer encode(HeartbeatResponse r) {
        Writer w = new Writer(-1);
        w.putByte(r.error().code());
        w.putStates(r.states());
        return w.done();
    }

    static HeartbeatResponse decodeHeartbeatResponse(ByteBuffer b) {
        checkVersion(b);
        return new HeartbeatResponse(ReplicaError.of(b.get()), states(b));
    }

    static ByteBuffer encodePartitionStates(List<PartitionState> states) {
        Writer w = new Writer(PARTITION_STATE);
        w.putStates(states);
        return w.done();
    }

    static List<PartitionState> decodePartitionStates(ByteBuffer b) {
        return states(b);
    }

    /** Partition states alone, without a message header: a count and the states, as in the messages. */
    static ByteBuffer encodeStates(List<PartitionState> states) {
        Writer w = new Writer();
        w.putStates(states);
        return w.done();
    }

    /** Reads what {@link #encodeStates} wrote. */
    static List<PartitionState> decodeStates(ByteBuffer b) {
        return states(b);
    }

    /** The empty answer to a message that needs none beyond its arrival. */
    static ByteBuffer ack() {
        return new Writer(-1).done();
    }

    /** Checks a request's version and returns its kind, leaving {@code b} at its first field. */
    static byte readKind(ByteBuffer b) {
        checkVersion(b);
        return b.get();
    }

    private static void checkVersion(ByteBuffer b) {
        byte version = b.get();
        if (version != VERSION) {
            throw new IllegalArgumentException("replication message of version " + version + ", expected " + VERSION);
        }
    }

    private static TopicPartition partition(ByteBuffer b) {
        byte[] name = new byte[Short.toUnsignedInt(b.getShort())];
        b.get(name);
        return new TopicPartition(new String(name, StandardCharsets.UTF_8), b.getInt());
    }

    private static PartitionState state(ByteBuffer b) {
        return new PartitionState(partition(b), b.getInt(), b.getInt(), b.getInt(), ints(b), ints(b));
    }

    private static List<PartitionState> states(ByteBuffer b) {
        int n = count(b, 1);
        List<PartitionState> states = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            states.add(state(b));
        }
        return states;
    }

    private static List<Integer> ints(ByteBuffer b) {
        int n = count(b, Integer.BYTES);
        List<Integer> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(b.getInt());
        }
        return list;
    }

    /** A count of elements at least {@code elementBytes} long each, checked against the bytes left. */
    private static int count(ByteBuffer b, int elementBytes) {
        int n = b.getInt();
        if (n < 0 || (long) n * elementBytes > b.remaining()) {
            throw new IllegalArgumentException("count " + n + " does not fit the " + b.remaining() + " bytes left");
        }
        return n;
    }

    private static ByteBuffer bytes(ByteBuffer b) {
        int n = count(b, 1);
        ByteBuffer slice = b.slice(b.position(), n);
        b.position(b.position() + n);
        return slice;
    }

    /** Appends fields to a growing buffer. */
    private static final class Writer {
        private ByteBuffer buf;

        /** Starts bytes with no message header. */
        Writer() {
            buf = ByteBuffer.allocate(128);
        }

        /** Starts a request of {@code kind}, or a response if {@code kind} is negative. */
        Writer(int kind) {
            this(kind, 128);
        }

        /** As {@link #Writer(int)}, with room for {@code bytes} before it grows. */
        Writer(int kind, int bytes) {
            buf = ByteBuffer.allocate(bytes);
            buf.put(VERSION);
            if (kind >= 0) {
                buf.put((byte) kind);
            }
        }

        private ByteBuffer room(int bytes) {
            if (buf.remaining() < bytes) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + bytes));
                buf = bigger.put(buf.flip());
            }
            return buf;
        }

        void putByte(byte v) {
            room(1).put(v);
        }

        void putInt(int v) {
            room(4).putInt(v);
        }

        void putLong(long v) {
            room(8).putLong(v);
        }

        void putInts(List<Integer> values) {
            putInt(values.size());
            for (int v : values) {
                putInt(v);
            }
        }

        void putBytes(ByteBuffer bytes) {
            putInt(bytes.remaining());
            room(bytes.remaining()).put(bytes.duplicate());
        }

        void putPartition(TopicPartition tp) {
            byte[] name = tp.topic().getBytes(StandardCharsets.UTF_8);
            room(2 + name.length).putShort((short) name.length).put(name);
            putInt(tp.partition());
        }

        void putState(PartitionState s) {
            putPartition(s.partition());
            putInt(s.leader());
            putInt(s.leaderEpoch());
            putInt(s.partitionEpoch());
            putInts(s.replicas());
            putInts(s.isr());
        }

        void putStates(List<PartitionState> states) {
            putInt(states.size());
            for (PartitionState s : states) {
                putState(s);
            }
        }

        ByteBuffer done() {
            return buf.flip();
        }
    }
}
