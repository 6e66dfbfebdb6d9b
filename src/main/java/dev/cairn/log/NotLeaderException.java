package dev.cairn.log;

import dev.cairn.common.CairnException;

/**
 * An append or read that reached a copy of a partition that is not its leader, or no longer is:
 * a newer leader epoch exists (Kafka's NOT_LEADER_OR_FOLLOWER and FENCED_LEADER_EPOCH). Nothing was
 * written; the caller retries against the current leader.
 */
public class NotLeaderException extends CairnException {
    private static final long serialVersionUID = 1L;

    public NotLeaderException(String message) {
        super(message);
    }
}
