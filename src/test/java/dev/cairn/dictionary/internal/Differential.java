package dev.cairn.dictionary.internal;

import dev.cairn.dictionary.IndexOutOfRangeException;
import dev.cairn.dictionary.NoSuchKeyException;
import dev.cairn.dictionary.NotAFloatException;
import dev.cairn.dictionary.NotAnIntegerException;
import dev.cairn.dictionary.OverflowException;
import dev.cairn.dictionary.WrongTypeException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import java.util.function.Supplier;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Runs the same command on Redis and on the Dictionary and requires the same outcome: equal
 * replies (after {@link #normal normalizing} both) or the same class of error, as
 * {@link #errorClass} maps them. Reused by every differential sequence (keys, strings, hashes,
 * lists, sets, sorted sets).
 *
 * <p>A mismatch fails with the seed, the step number and the command, so a run can be
 * repeated: {@code new Differential(seed)} with the printed seed replays the same sequence.
 *
 * <p>Not thread-safe; one per test.
 */
public final class Differential {
    private final long seed;
    private int step;
    private final Set<String> commandsRun = new TreeSet<>();

    public Differential(long seed) {
        this.seed = seed;
    }

    public int step() {
        return step;
    }

    /** The names (first words) of the commands checked so far, for tests that require their generators to cover a list. */
    public Set<String> commandsRun() {
        return commandsRun;
    }

    /** The outcome of one side: a normalized reply or an error class. */
    public record Outcome(Object reply, String error) {
        @Override
        public String toString() {
            return error != null ? "error " + error : "reply " + reply;
        }
    }

    /** Runs both sides and requires equal normalized replies or equal error classes. */
    public void check(String command, Supplier<?> redis, Supplier<?> dictionary) {
        check(command, redis, dictionary, Objects::equals);
    }

    /** As {@link #check(String, Supplier, Supplier)} with a custom comparison of normalized replies. */
    public void check(String command, Supplier<?> redis, Supplier<?> dictionary, BiPredicate<Object, Object> same) {
        step++;
        int space = command.indexOf(' ');
        commandsRun.add(space < 0 ? command : command.substring(0, space));
        Outcome expected = run(redis);
        Outcome actual = run(dictionary);
        boolean equal = expected.error() != null || actual.error() != null
                ? Objects.equals(expected.error(), actual.error())
                : same.test(expected.reply(), actual.reply());
        if (!equal) {
            throw new AssertionError("seed " + seed + ", step " + step + ": " + command
                    + "\n  redis:      " + expected + "\n  dictionary: " + actual);
        }
    }

    /** Runs a command and returns its outcome. */
    public static Outcome run(Supplier<?> command) {
        try {
            return new Outcome(normal(command.get()), null);
        } catch (JedisDataException e) {
            return new Outcome(null, errorClass(e.getMessage()));
        } catch (RuntimeException e) {
            String error = errorClass(e);
            if (error == null) {
                throw e;
            }
            return new Outcome(null, error);
        }
    }

    /**
     * The class of a Redis error reply: what it means, not its wording. WRONGTYPE; NOT_INTEGER;
     * NOT_FLOAT (SORT's non-numeric score included); OVERFLOW; NO_SUCH_KEY; INDEX_OUT_OF_RANGE; any other error is ERR (syntax,
     * invalid argument).
     */
    public static String errorClass(String redisMessage) {
        String message = redisMessage == null ? "" : redisMessage;
        if (message.startsWith("WRONGTYPE") || message.contains("The specified keys must contain string values")) {
            // LCS words its wrong-type error differently; the Dictionary throws WrongTypeException.
            return "WRONGTYPE";
        }
        if (message.contains("bit offset is not an integer")) {
            // The Java API takes offsets as longs: one out of range is an argument error there.
            return "ERR";
        }
        if (message.contains("not an integer")) {
            return "NOT_INTEGER";
        }
        if (message.contains("not a valid float") || message.contains("not a float")
                || message.contains("NaN or Infinity") || message.contains("can't be converted into double")) {
            return "NOT_FLOAT";
        }
        if (message.contains("overflow") || message.contains("maximum allowed size")) {
            return "OVERFLOW";
        }
        if (message.contains("no such key")) {
            return "NO_SUCH_KEY";
        }
        if (message.contains("index out of range")) {
            return "INDEX_OUT_OF_RANGE";
        }
        return "ERR";
    }

    /** The class of a Dictionary exception, as {@link #errorClass(String)}; null if not an error reply. */
    public static String errorClass(RuntimeException e) {
        if (e instanceof WrongTypeException) {
            return "WRONGTYPE";
        }
        if (e instanceof NotAnIntegerException) {
            return "NOT_INTEGER";
        }
        if (e instanceof NotAFloatException) {
            return "NOT_FLOAT";
        }
        if (e instanceof OverflowException) {
            return "OVERFLOW";
        }
        if (e instanceof NoSuchKeyException) {
            return "NO_SUCH_KEY";
        }
        if (e instanceof IndexOutOfRangeException) {
            return "INDEX_OUT_OF_RANGE";
        }
        if (e instanceof IllegalArgumentException) {
            return "ERR";
        }
        return null;
    }

    /**
     * A comparable form of a reply: byte arrays become strings (ISO-8859-1, so any byte
     * survives), lists stay lists, sets become sorted lists, maps sorted maps, map entries
     * two-element lists; "OK" and null stay as they are.
     */
    public static Object normal(Object reply) {
        if (reply instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
        if (reply instanceof String text) {
            return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        }
        if (reply instanceof Map.Entry<?, ?> entry) {
            return List.of(normal(entry.getKey()), normal(entry.getValue()));
        }
        if (reply instanceof Map<?, ?> map) {
            TreeMap<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(String.valueOf(normal(k)), normal(v)));
            return sorted;
        }
        if (reply instanceof Set<?> set) {
            return unordered(set);
        }
        if (reply instanceof List<?> list) {
            List<Object> items = new ArrayList<>(list.size());
            for (Object item : list) {
                items.add(normal(item));
            }
            return items;
        }
        return reply;
    }

    /** A collection whose order does not matter, as a sorted list of normalized items. */
    public static List<String> unordered(Collection<?> items) {
        if (items == null) {
            return null;
        }
        List<String> sorted = new ArrayList<>();
        for (Object item : items) {
            sorted.add(String.valueOf(normal(item)));
        }
        sorted.sort(null);
        return sorted;
    }
}
