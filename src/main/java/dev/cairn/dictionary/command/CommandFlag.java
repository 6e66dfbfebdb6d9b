package dev.cairn.dictionary.command;

/** What kind of command a command is, as COMMAND reports it and as the dispatcher treats it. */
public enum CommandFlag {
    /** Changes the dataset: logged to the append-only file. */
    WRITE("write"),
    /** Reads the dataset only. */
    READONLY("readonly"),
    /** May grow memory (Redis refuses these over maxmemory). */
    DENYOOM("denyoom"),
    /** Administrative. */
    ADMIN("admin"),
    /** Allowed in the pub/sub context of RESP2. */
    PUBSUB("pubsub"),
    NOSCRIPT("noscript"),
    /** May block the client. */
    BLOCKING("blocking"),
    /** Allowed while loading. */
    LOADING("loading"),
    STALE("stale"),
    /** Runs in constant or logarithmic time. */
    FAST("fast"),
    /** Allowed before AUTH. */
    NO_AUTH("no_auth"),
    /** Refused inside MULTI. */
    NO_MULTI("no_multi"),
    /** Its keys are found by reading its arguments (ZUNIONSTORE's numkeys), not by position alone. */
    MOVABLEKEYS("movablekeys"),
    ALLOW_BUSY("allow_busy");

    private final String redisName;

    CommandFlag(String redisName) {
        this.redisName = redisName;
    }

    /** The flag's name in COMMAND's reply. */
    public String redisName() {
        return redisName;
    }
}
