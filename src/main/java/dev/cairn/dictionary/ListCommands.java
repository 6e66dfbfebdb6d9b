package dev.cairn.dictionary;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.List;

/**
 * Commands on list values. Elements are binary-safe; arrays passed in are copied and arrays
 * returned belong to the caller. Indexes are 0-based from the head, negative ones count from the
 * tail (-1 is the last). Every method is one atomic command and throws
 * {@link WrongTypeException} (changing nothing) when a key holds another type. A list left
 * empty is removed.
 *
 * <p>The blocking commands wait until an element arrives, the timeout passes, the dictionary
 * closes ({@link dev.cairn.common.ClosedException}) or the thread is interrupted. A timeout of
 * {@link Duration#ZERO} does not wait at all (the command answers at once, null if nothing is
 * there), as the log's {@code poll(Duration.ZERO)}; the overloads without a timeout wait without
 * a limit (Redis's timeout 0). Waiters are served
 * in arrival order per key, each by the command that pushed, so no element is lost or given
 * twice. Inside a transaction they do not wait. Timeouts are measured on the JVM's monotonic
 * clock, not on the dictionary's clock.
 *
 * <p>Each blocking command has a form that holds no thread while it waits ({@code blpopAsync},
 * ...): the command answers at once when it can (an already completed future), otherwise its
 * waiter is queued as the blocking form's would be, and the future completes when a write serves
 * it, after that write's command has released the dictionary's lock and its writes are durable,
 * in the writer's thread; a timeout completes it with null in the dictionary's timer thread,
 * close fails it with {@link dev.cairn.common.ClosedException}. Callbacks attached without an
 * executor therefore run in those threads: keep them short, or use the {@code ...Async}
 * composition methods. Cancelling the future (or completing it, e.g. by {@code orTimeout})
 * withdraws the waiter; if a write has already served it, the cancel returns false and the
 * future still completes with what was popped, so nothing popped is lost. The blocking forms
 * are waits on these futures; an interrupt cancels the wait the same way.
 */
public interface ListCommands {

    /** LPUSH: pushes each element at the head in turn; returns the new length. */
    long lpush(String key, byte[]... elements);

    /** LPUSH of UTF-8 strings. */
    default long lpush(String key, String... elements) {
        return lpush(key, utf8(elements));
    }

    /** RPUSH: pushes each element at the tail in turn; returns the new length. */
    long rpush(String key, byte[]... elements);

    /** RPUSH of UTF-8 strings. */
    default long rpush(String key, String... elements) {
        return rpush(key, utf8(elements));
    }

    /** LPUSHX: as LPUSH only if the list exists; returns the new length, 0 if it does not. */
    long lpushx(String key, byte[]... elements);

    /** RPUSHX: as RPUSH only if the list exists; returns the new length, 0 if it does not. */
    long rpushx(String key, byte[]... elements);

    /** LPOP: removes and returns the head, or null if the key does not exist. */
    byte[] lpop(String key);

    /**
     * LPOP key count: removes and returns up to {@code count} elements from the head; null if
     * the key does not exist.
     *
     * @throws IllegalArgumentException if {@code count} is negative
     */
    List<byte[]> lpop(String key, long count);

    /** RPOP: removes and returns the tail, or null. */
    byte[] rpop(String key);

    /** RPOP key count: as {@link #lpop(String, long)} from the tail. */
    List<byte[]> rpop(String key, long count);

    /** LLEN: the length, 0 if the key does not exist. */
    long llen(String key);

    /** LRANGE: the elements from {@code start} to {@code stop} inclusive, clipped to the list. */
    List<byte[]> lrange(String key, long start, long stop);

    /** LINDEX: the element at {@code index}, or null if out of range or the key does not exist. */
    byte[] lindex(String key, long index);

    /**
     * LSET: replaces the element at {@code index}.
     *
     * @throws NoSuchKeyException       if the key does not exist
     * @throws IndexOutOfRangeException if the index is outside the list
     */
    void lset(String key, long index, byte[] element);

    /**
     * LINSERT: inserts {@code element} before or after the first {@code pivot}; returns the new
     * length, -1 if the pivot was not found, 0 if the key does not exist.
     */
    long linsert(String key, ListInsert where, byte[] pivot, byte[] element);

    /**
     * LREM: removes elements equal to {@code element}: the first {@code count} from the head if
     * positive, from the tail if negative, all if 0; returns how many.
     */
    long lrem(String key, long count, byte[] element);

    /** LTRIM: keeps only {@code start..stop} (inclusive, clipped); an empty range removes the key. */
    void ltrim(String key, long start, long stop);

    /** LPOS key element: the index of the first match, or null. */
    default Long lpos(String key, byte[] element) {
        return lpos(key, element, LposArgs.DEFAULT);
    }

    /** LPOS key element [RANK rank] [MAXLEN len]: the index of the match, or null. */
    Long lpos(String key, byte[] element, LposArgs args);

    /**
     * LPOS key element [RANK rank] COUNT count [MAXLEN len]: the indexes of up to {@code count}
     * matches (0: all), in the order found.
     *
     * @throws IllegalArgumentException if {@code count} is negative
     */
    List<Long> lpos(String key, byte[] element, LposArgs args, long count);

    /**
     * LMOVE: pops an element from one end of {@code source} and pushes it at one end of
     * {@code destination} (which may be the same key); returns it, or null if {@code source}
     * does not exist.
     */
    byte[] lmove(String source, String destination, ListEnd from, ListEnd to);

    /**
     * BLPOP: pops the head of the first non-empty list among {@code keys} (checked in order),
     * waiting if all are empty. A wait on {@link #blpopAsync(Duration, String...)}.
     *
     * @param timeout how long to wait at most; {@link Duration#ZERO} not at all
     * @return the key and element, or null if the timeout passed
     * @throws InterruptedException if interrupted while waiting (nothing was popped; if an
     *         element was popped first, it is returned with the interrupt status set)
     */
    default KeyValue blpop(Duration timeout, String... keys) throws InterruptedException {
        return BlockingWait.await(blpopAsync(timeout, keys));
    }

    /**
     * BLPOP with Redis's timeout 0: waits without a time limit.
     *
     * @return the key and element (null only inside a transaction, which never waits)
     * @throws InterruptedException if interrupted while waiting (nothing was popped)
     */
    default KeyValue blpop(String... keys) throws InterruptedException {
        return BlockingWait.await(blpopAsync(keys));
    }

    /** BRPOP: as {@link #blpop(Duration, String...)} from the tail. */
    default KeyValue brpop(Duration timeout, String... keys) throws InterruptedException {
        return BlockingWait.await(brpopAsync(timeout, keys));
    }

    /** BRPOP with Redis's timeout 0: as {@link #blpop(String...)} from the tail. */
    default KeyValue brpop(String... keys) throws InterruptedException {
        return BlockingWait.await(brpopAsync(keys));
    }

    /**
     * BLPOP without a waiting thread: the future completes with the key and element once one is
     * popped for this caller, with null when {@code timeout} passes, or fails with
     * {@link dev.cairn.common.ClosedException} if the dictionary closes first. See the interface
     * description for how such futures behave.
     *
     * @param timeout how long to wait at most; {@link Duration#ZERO} not at all
     * @throws IllegalArgumentException for bad keys, and {@link WrongTypeException} for a key of
     *         another type met before a list, thrown by the call as the command answers at once
     */
    CompletableFuture<KeyValue> blpopAsync(Duration timeout, String... keys);

    /** BLPOP with Redis's timeout 0, without a waiting thread: never completes with null outside a transaction. */
    CompletableFuture<KeyValue> blpopAsync(String... keys);

    /** BRPOP without a waiting thread: as {@link #blpopAsync(Duration, String...)} from the tail. */
    CompletableFuture<KeyValue> brpopAsync(Duration timeout, String... keys);

    /** BRPOP with Redis's timeout 0, without a waiting thread: as {@link #blpopAsync(String...)} from the tail. */
    CompletableFuture<KeyValue> brpopAsync(String... keys);

    /**
     * BLMOVE: as {@link #lmove}, waiting for {@code source} to get an element. A wait on
     * {@link #blmoveAsync(String, String, ListEnd, ListEnd, Duration)}.
     *
     * @param timeout how long to wait at most; {@link Duration#ZERO} not at all
     * @return the moved element, or null if the timeout passed
     * @throws InterruptedException if interrupted while waiting (nothing was moved)
     */
    default byte[] blmove(String source, String destination, ListEnd from, ListEnd to, Duration timeout)
            throws InterruptedException {
        return BlockingWait.await(blmoveAsync(source, destination, from, to, timeout));
    }

    /**
     * BLMOVE with Redis's timeout 0: waits without a time limit.
     *
     * @return the moved element (null only inside a transaction, which never waits)
     * @throws InterruptedException if interrupted while waiting (nothing was moved)
     */
    default byte[] blmove(String source, String destination, ListEnd from, ListEnd to) throws InterruptedException {
        return BlockingWait.await(blmoveAsync(source, destination, from, to));
    }

    /**
     * BLMOVE without a waiting thread: the future completes with the moved element, with null
     * when {@code timeout} passes, or fails with the error of the move (a {@code destination} of
     * another type when the element came) or {@link dev.cairn.common.ClosedException}.
     */
    CompletableFuture<byte[]> blmoveAsync(String source, String destination, ListEnd from, ListEnd to,
            Duration timeout);

    /** BLMOVE with Redis's timeout 0, without a waiting thread. */
    CompletableFuture<byte[]> blmoveAsync(String source, String destination, ListEnd from, ListEnd to);

    /**
     * LMPOP numkeys key... LEFT|RIGHT COUNT count: pops up to {@code count} elements from one end
     * of the first non-empty list among {@code keys}, tried in order; a key of another type met
     * before that list fails the command.
     *
     * @return the key and the elements in the order popped, or null if every list is empty
     * @throws IllegalArgumentException if no key is given or {@code count} is not positive
     */
    KeyValues lmpop(ListEnd end, long count, String... keys);

    /** LMPOP without COUNT: pops one element; see {@link #lmpop(ListEnd, long, String...)}. */
    default KeyValues lmpop(ListEnd end, String... keys) {
        return lmpop(end, 1, keys);
    }

    /**
     * BLMPOP: as {@link #lmpop(ListEnd, long, String...)}, waiting if every list is empty; a
     * waiter is served up to {@code count} elements of the first of its keys that gets some.
     *
     * @param timeout how long to wait at most; {@link Duration#ZERO} not at all
     * @return the key and elements, or null if the timeout passed
     * @throws InterruptedException if interrupted while waiting (nothing was popped)
     */
    default KeyValues blmpop(Duration timeout, ListEnd end, long count, String... keys) throws InterruptedException {
        return BlockingWait.await(blmpopAsync(timeout, end, count, keys));
    }

    /**
     * BLMPOP with Redis's timeout 0: waits without a time limit.
     *
     * @return the key and elements (null only inside a transaction, which never waits)
     * @throws InterruptedException if interrupted while waiting (nothing was popped)
     */
    default KeyValues blmpop(ListEnd end, long count, String... keys) throws InterruptedException {
        return BlockingWait.await(blmpopAsync(end, count, keys));
    }

    /** BLMPOP without a waiting thread: the future of {@link #blmpop(Duration, ListEnd, long, String...)}'s answer. */
    CompletableFuture<KeyValues> blmpopAsync(Duration timeout, ListEnd end, long count, String... keys);

    /** BLMPOP with Redis's timeout 0, without a waiting thread. */
    CompletableFuture<KeyValues> blmpopAsync(ListEnd end, long count, String... keys);

    private static byte[][] utf8(String[] elements) {
        byte[][] bytes = new byte[elements.length][];
        for (int i = 0; i < elements.length; i++) {
            bytes[i] = elements[i].getBytes(StandardCharsets.UTF_8);
        }
        return bytes;
    }
}
