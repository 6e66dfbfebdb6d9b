package dev.cairn.log.internal.replica;

/** Outcome codes of the replication protocol's requests, one byte on the wire. */
enum ReplicaError {
    NONE,
    /** The node does not lead the partition (or holds no copy of it). */
    NOT_LEADER,
    /** The requester's leader epoch is older than the leader's: it must learn the new state first. */
    FENCED_LEADER_EPOCH,
    /** The requester's leader epoch is newer than this node's: this node is a stale leader. */
    UNKNOWN_LEADER_EPOCH,
    /** The fetch offset is below the leader's log start or past its log end. */
    OFFSET_OUT_OF_RANGE,
    /** A request to change a partition's state was made from a state that is no longer current. */
    STALE_STATE,
    /** The node asked is not the controller. */
    NOT_CONTROLLER,
    /** The request came from an incarnation of the node older than one already seen: a process that restarted since. */
    STALE_INCARNATION;

    private static final ReplicaError[] BY_CODE = values();

    byte code() {
        return (byte) ordinal();
    }

    static ReplicaError of(byte code) {
        if (code < 0 || code >= BY_CODE.length) {
            throw new IllegalArgumentException("unknown replication error code " + code);
        }
        return BY_CODE[code];
    }
}
