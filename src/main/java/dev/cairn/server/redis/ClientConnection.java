package dev.cairn.server.redis;

import dev.cairn.dictionary.CommandViews;
import dev.cairn.dictionary.Dictionary;
import dev.cairn.dictionary.command.CommandFlag;
import dev.cairn.dictionary.command.CommandSpec;
import dev.cairn.dictionary.command.PendingReply;
import dev.cairn.dictionary.command.Session;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's connection: runs its commands in order, as Redis runs one client's commands,
 * and holds its state: protocol version, name, authentication, the MULTI queue, the watch,
 * subscriptions.
 *
 * <h2>How a command runs</h2>
 * Commands arrive from {@link RespDecoder} on the channel's event loop and are checked as Redis's
 * {@code processCommand} checks them (unknown name, arity, authentication, the pub/sub context of
 * RESP2, MULTI queueing), then run on the event loop against the dictionary, whose command lock
 * makes each atomic against every other client. Replies accumulate in one {@link RespWriter} and
 * are flushed when the read that brought the commands is done, so a pipeline of commands costs one
 * write.
 *
 * <p>A blocking command (BLPOP, ...) outside MULTI that must wait hands its {@link PendingReply} to
 * {@link #block}: no thread waits for it. Until the dictionary completes it (served, timed out) or
 * CLIENT UNBLOCK ends it, the connection's later commands wait in {@link #backlog} (Redis's blocked
 * client does not process them either); the reply is then written on the event loop, and the
 * commands that waited run in order. Closing the connection withdraws the waiter, so nothing is
 * popped for a client that is gone.
 *
 * <p>MULTI, EXEC and WATCH live in {@link ClientTransaction}. A command that a CLIENT PAUSE covers
 * ({@link ClientPause}) is held, with the commands after it in the backlog, until the pause ends.
 * CLIENT REPLY OFF and SKIP drop the replies of the commands they cover: each command's reply is
 * written and then cut off again ({@link RespWriter#truncate}), so no command needs to know.
 *
 * <p>Thread-safety: every field is confined to the channel's event loop, except {@link #blocked}
 * and {@link #held}, read by CLIENT UNBLOCK and CLIENT LIST from other connections' loops, and
 * {@link #deliver} and {@link #pauseEnded}, which hand off to the event loop.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter implements Session {
    private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);
    /** Replies written beyond this many bytes are flushed before the next command runs. */
    private static final int FLUSH_BYTES = 64 * 1024;

    final ServerState server;
    final long id;
    final long createdMillis = System.currentTimeMillis();
    private final RespDecoder decoder;
    private final RespWriter out = new RespWriter(2);
    private Channel channel;
    String name = "";
    /** The selected database (SELECT). */
    int db;
    String libraryName = "";
    String libraryVersion = "";
    boolean authenticated;
    long lastActivityNanos = System.nanoTime();
    String lastCommand = "NULL";

    /** MULTI, EXEC and WATCH. */
    private final ClientTransaction multi = new ClientTransaction(this);
    /** The running EXEC block's commands, or null. */
    CommandViews execViews;

    /** Commands received while a blocking command waits. */
    private final ArrayDeque<Object> backlog = new ArrayDeque<>();
    /** The blocking command waiting for its reply, or null. */
    private volatile BlockedCommand blocked;
    /** The command a CLIENT PAUSE holds (the later ones wait in the backlog), or null. */
    private volatile byte[][] held;
    /** CLIENT REPLY OFF: no reply until CLIENT REPLY ON. */
    private boolean repliesOff;
    /** CLIENT REPLY SKIP: the running command's reply is dropped ({@code skipThis}), or the next one's. */
    private boolean skipThis;
    private boolean skipNext;
    private boolean closing;

    final Set<String> channels = new LinkedHashSet<>();
    final Set<String> patterns = new LinkedHashSet<>();

    ClientConnection(ServerState server, RespDecoder decoder) {
        this.server = server;
        this.decoder = decoder;
        this.id = server.nextClientId.getAndIncrement();
        this.authenticated = server.password == null;
        decoder.setAuthenticated(authenticated);
    }

    // ---------------------------------------------------------------- Session

    @Override
    public CommandViews views() {
        CommandViews views = execViews;
        return views != null ? views : server.database(db);
    }

    @Override
    public Dictionary dictionary() {
        return server.database(db);
    }

    @Override
    public <T> T atomically(Function<CommandViews, T> block) {
        CommandViews views = execViews;
        if (views != null) {
            return block.apply(views);
        }
        return server.database(db).exclusive(block::apply);
    }

    /** Outside EXEC a blocking command's reply may wait: the connection holds its later commands meanwhile. */
    @Override
    public boolean canBlock() {
        return execViews == null;
    }

    /**
     * Blocks the connection (not a thread) until {@code pending} completes: later commands wait in
     * the backlog; the reply is written on the event loop. Called by a blocking command's handler.
     */
    @Override
    public void block(PendingReply<?> pending) {
        BlockedCommand command = new BlockedCommand(pending, repliesOff || skipThis);
        blocked = command;
        server.blockedClientsChange(1);
        Channel target = channel;
        // Completed in the dictionary's threads (a writer, the timer, close): hop to the event loop.
        pending.result().whenComplete((result, failure) -> target.eventLoop().execute(() -> resume(command)));
    }

    // ---------------------------------------------------------------- Netty events

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        server.connectionsReceived.incrementAndGet();
        if (server.clients.size() >= server.maxClients) {
            server.rejectedConnections.incrementAndGet();
            out.writeError("ERR max number of clients reached");
            closing = true;
            flush();
            return;
        }
        server.clients.put(id, this);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        server.clients.remove(id);
        server.pause.forget(this);
        BlockedCommand waiting = blocked;
        if (waiting != null) {
            waiting.abandon();
        }
        multi.closeWatch();
        for (String c : channels) {
            server.pubSub.unsubscribe(this, c);
        }
        for (String p : patterns) {
            server.pubSub.punsubscribe(this, p);
        }
        channels.clear();
        patterns.clear();
        backlog.forEach(ReferenceCountUtil::release);
        backlog.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (closing) {
            ReferenceCountUtil.release(message);
            return;
        }
        if (blocked != null || held != null || !backlog.isEmpty() || !channel.isWritable()) {
            // Waiting for a blocking command, a pause's end, or the client to read what it was sent.
            backlog.add(message);
            if (!channel.isWritable()) {
                channel.config().setAutoRead(false);
            }
            return;
        }
        handle(message);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // Back-pressure: a client that does not read its replies is not read from either, so its
        // unsent replies stay within the channel's write buffer (Redis would buffer them without
        // bound by default). Once it has read them, the commands it sent meanwhile run.
        if (ctx.channel().isWritable()) {
            drain();
        } else {
            ctx.channel().config().setAutoRead(false);
        }
        ctx.fireChannelWritabilityChanged();
    }

    /** Runs the commands that waited, while nothing blocks and the client reads its replies. */
    private void drain() {
        while (!backlog.isEmpty() && blocked == null && held == null && !closing && channel.isWritable()) {
            handle(backlog.poll());
        }
        flush();
        if (backlog.isEmpty() && channel.isWritable() && !closing) {
            channel.config().setAutoRead(true);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("closing client {} after an error", id, cause);
        ctx.close();
    }

    private void handle(Object message) {
        if (message instanceof RespProtocolException e) {
            if (e.hasErrorReply()) {
                out.writeError(e.errorReply());
            }
            closing = true;
            flush();
            return;
        }
        lastActivityNanos = System.nanoTime();
        server.commandsProcessed.incrementAndGet();
        execute(((RespCommand) message).rawArguments());
        if (out.size() >= FLUSH_BYTES) {
            // Large replies go out as they come, so the channel's writability reflects them.
            flush();
        }
    }

    /** Writes what the replies so far hold; closes the connection after it if asked. */
    void flush() {
        if (channel == null) {
            return;
        }
        if (out.size() > 0) {
            // Copied once into a pooled direct buffer: a heap buffer would be copied into a fresh
            // direct one by the socket write anyway.
            ByteBuf bytes = channel.alloc().ioBuffer(out.size());
            out.copyTo(bytes);
            out.clear();
            if (closing) {
                channel.writeAndFlush(bytes).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            channel.writeAndFlush(bytes, channel.voidPromise());
        }
        if (closing) {
            channel.close();
        }
    }

    /** Closes the connection once the replies so far are written (QUIT, CLIENT KILL). */
    void closeAfterReply() {
        closing = true;
    }

    Channel channel() {
        return channel;
    }

    int protocol() {
        return out.protocol();
    }

    void setProtocol(int protocol) {
        out.setProtocol(protocol);
    }

    void setAuthenticated(boolean value) {
        authenticated = value;
        decoder.setAuthenticated(value);
    }

    boolean inMulti() {
        return multi.inMulti();
    }

    ClientTransaction transaction() {
        return multi;
    }

    boolean subscribed() {
        return !channels.isEmpty() || !patterns.isEmpty();
    }

    String address() {
        SocketAddress address = channel == null ? null : channel.remoteAddress();
        return address instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() + ":" + inet.getPort()
                : String.valueOf(address);
    }

    String localAddress() {
        SocketAddress address = channel == null ? null : channel.localAddress();
        return address instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() + ":" + inet.getPort()
                : String.valueOf(address);
    }

    // ---------------------------------------------------------------- dispatch

    /**
     * Runs one command, then drops its reply if the client asked (CLIENT REPLY OFF or SKIP; a
     * held command's turn comes when it runs).
     */
    private void execute(byte[][] args) {
        int mark = out.size();
        if (!dispatch(args)) {
            return;
        }
        if (repliesOff || skipThis) {
            out.truncate(mark);
        }
        // As Redis's resetClient: a SKIP applies to the one command after it.
        skipThis = skipNext;
        skipNext = false;
    }

    /** Checks and runs one command, as Redis's processCommand; false if a CLIENT PAUSE holds it. */
    private boolean dispatch(byte[][] args) {
        CommandSpec spec = server.dispatcher.resolve(args, out);
        if (spec == null) {
            multi.refuseQueued();
            return true;
        }
        lastCommand = spec.name();
        if (!authenticated && !spec.is(CommandFlag.NO_AUTH)) {
            out.writeError("NOAUTH Authentication required.");
            multi.refuseQueued();
            return true;
        }
        if (protocol() == 2 && subscribed() && !ServerCommands.allowedWhileSubscribed(spec.name())) {
            out.writeError("ERR Can't execute '" + spec.name() + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING"
                    + " / QUIT / RESET are allowed in this context");
            return true;
        }
        if (server.pause.covers(spec, spec.name().equals("exec") && multi.queuedWrites())) {
            hold(args);
            return false;
        }
        if (inMulti() && !ServerCommands.runsInsideMulti(spec.name())) {
            if (spec.is(CommandFlag.NO_MULTI)) {
                out.writeError("ERR Command not allowed inside a transaction");
                multi.refuseQueued();
                return true;
            }
            multi.queue(args);
            out.writeSimpleString("QUEUED");
            return true;
        }
        CommandDispatcher.run(spec, this, args, out);
        return true;
    }

    /** Holds {@code args} (and, in the backlog, every later command) until the pause ends. */
    private void hold(byte[][] args) {
        held = args;
        server.pause.hold(this);
        checkPause();
    }

    /** A held client's timer: releases the held clients once the pause is over, else waits on. */
    private void checkPause() {
        long leftNanos = server.pause.releaseIfOver();
        if (leftNanos > 0 && held != null && channel.isActive()) {
            channel.eventLoop().schedule(this::checkPause, leftNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** The pause ended: the held command runs, then those that waited behind it. Any thread. */
    void pauseEnded() {
        Channel target = channel;
        target.eventLoop().execute(() -> {
            byte[][] args = held;
            if (args == null || !target.isActive()) {
                return;
            }
            held = null;
            execute(args);
            drain();
        });
    }

    /** CLIENT REPLY ON, OFF or SKIP, as Redis: ON answers OK, OFF and SKIP answer nothing. */
    void replyMode(String mode) {
        switch (mode) {
            case "ON" -> {
                repliesOff = false;
                skipThis = false;
                out.writeSimpleString("OK");
            }
            case "OFF" -> repliesOff = true;
            default -> skipNext = !repliesOff;
        }
    }


    /** Whether a blocking command waits or a pause holds a command (CLIENT LIST's flag b, as Redis). */
    boolean isBlocked() {
        return blocked != null || held != null;
    }

    /** CLIENT UNBLOCK: ends this client's wait, if it waits; returns whether it did. Any thread. */
    boolean unblock(boolean withError) {
        BlockedCommand waiting = blocked;
        return waiting != null && waiting.unblock(withError);
    }

    /** CLIENT KILL: closes this connection; the killer's own after its reply. Any thread. */
    void kill(ClientConnection killer) {
        if (killer == this) {
            closeAfterReply();
        } else if (channel != null) {
            channel.close();
        }
    }

    int queuedCount() {
        return multi.queuedCount();
    }

    /** Back on the event loop after a blocking command: its reply, then the commands that waited. */
    private void resume(BlockedCommand command) {
        blocked = null;
        server.blockedClientsChange(-1);
        if (!channel.isActive()) {
            return;
        }
        command.writeReply(out);
        drain();
    }

    /** RESET: back to a new connection's state (protocol 2, no name, no MULTI, watch or subscriptions). */
    void reset() {
        multi.reset();
        // As Redis's clearClientConnectionState: replies back on (a SKIP of RESET itself still applies).
        repliesOff = false;
        skipNext = false;
        for (String c : channels) {
            server.pubSub.unsubscribe(this, c);
        }
        for (String p : patterns) {
            server.pubSub.punsubscribe(this, p);
        }
        channels.clear();
        patterns.clear();
        name = "";
        db = 0;
        setProtocol(2);
        setAuthenticated(server.password == null);
        out.writeSimpleString("RESET");
    }

    // ---------------------------------------------------------------- pub/sub

    /**
     * Delivers a published message: {@code message channel payload}, or {@code pmessage pattern
     * channel payload} for a pattern subscription; a push under RESP3. Called from any thread.
     */
    void deliver(byte[] pattern, byte[] channelName, byte[] message) {
        Channel target = channel;
        if (target == null) {
            return;
        }
        target.eventLoop().execute(() -> {
            if (!target.isActive()) {
                return;
            }
            long pending = target.unsafe().outboundBuffer() == null ? 0
                    : target.unsafe().outboundBuffer().totalPendingWriteBytes();
            if (pending > server.options.pubSubOutputLimitBytes()) {
                LOG.warn("closing pub/sub client {}: {} bytes of messages unread, over the limit of {}", id, pending,
                        server.options.pubSubOutputLimitBytes());
                target.close();
                return;
            }
            if (pattern == null) {
                out.writePushLength(3);
                out.writeBulk("message");
            } else {
                out.writePushLength(4);
                out.writeBulk("pmessage");
                out.writeBulk(pattern);
            }
            out.writeBulk(channelName);
            out.writeBulk(message);
            if (blocked == null) {
                flush();
            }
        });
    }

    /** The reply writer of this connection's current command, for the server's own commands. */
    RespWriter out() {
        return out;
    }
}
