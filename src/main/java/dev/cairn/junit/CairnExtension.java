package dev.cairn.junit;

import dev.cairn.Cairn;
import dev.cairn.ManualClock;
import dev.cairn.dictionary.Dictionary;
import dev.cairn.log.Consumer;
import dev.cairn.log.ConsumerRecord;
import dev.cairn.log.Log;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicPartition;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * A Cairn for each test, declared in the test class:
 *
 * <pre>{@code
 * @RegisterExtension
 * static CairnExtension cairn = CairnExtension.inMemory().withTopic("orders", 3).withManualClock();
 *
 * @Test
 * void billsEveryOrder(Log log, ManualClock clock, @KafkaBootstrapServers String servers) { ... }
 * }</pre>
 *
 * <p><b>Lifecycle.</b> By default each test gets a fresh Cairn, opened before its
 * {@code @BeforeEach} methods and closed after its {@code @AfterEach} methods, so no test sees
 * another's data. {@link #perClass()} shares one Cairn among the tests of a class (register the
 * extension in a {@code static} field for that); {@link #reset()} empties it between tests when
 * they need that. In memory by default; {@link #onDisk()} keeps the data in a temporary directory
 * deleted after use, for tests that reopen or inspect files.
 *
 * <p><b>Parameters.</b> Test, lifecycle and constructor parameters of type {@link Cairn},
 * {@link Log}, {@link Dictionary} and {@link ManualClock} (after {@link #withManualClock}), a
 * {@code String} annotated {@link KafkaBootstrapServers} and a {@code String} or {@link URI}
 * annotated {@link RedisUri}. The Kafka and Redis listeners start only when asked for, on free
 * ports of 127.0.0.1, and close with their Cairn.
 *
 * <p><b>Time.</b> With {@link #withManualClock}, the Cairn reads a {@link ManualClock} that the test
 * moves; each move runs retention, compaction, group session expiry and key expiry before it
 * returns.
 *
 * <p><b>Failures.</b> When a test fails, the extension adds to its failure (as a suppressed
 * exception, and as a report entry named {@code cairn-state}) what the Cairn held: topics with
 * their offsets and last records, groups with their committed offsets, keys with type and a
 * preview of the value.
 *
 * <p><b>JMX.</b> The Cairns this extension opens register no MBeans unless {@link #withJmx()}
 * asks for them: registering and unregistering a Cairn's MBeans is a measurable share of what a
 * test's Cairn costs to open and close (and the first registration in a JVM also creates the
 * platform MBean server), which a test that does not look at JMX should not pay. The figures stay
 * in {@link Cairn#metrics()} either way.
 *
 * <p>Configure the extension where it is declared, before the first test runs; it is then used by
 * the test thread only, as JUnit calls it.
 */
public final class CairnExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver, TestExecutionExceptionHandler {
    private final boolean onDisk;
    private boolean perClass;
    private boolean manualClock;
    private Instant clockStart;
    private boolean jmx;
    private final Map<String, TopicConfig> topics = new LinkedHashMap<>();
    private final List<java.util.function.Consumer<Cairn>> setups = new ArrayList<>();
    private RunningCairn running;
    /** Whether the running Cairn was opened by {@link #beforeAll}, so {@link #afterEach} leaves it. */
    private boolean openedForClass;

    private CairnExtension(boolean onDisk) {
        this.onDisk = onDisk;
    }

    /** A fresh in-memory Cairn for each test. */
    public static CairnExtension inMemory() {
        return new CairnExtension(false);
    }

    /** A fresh Cairn for each test, in a temporary directory deleted after it. */
    public static CairnExtension onDisk() {
        return new CairnExtension(true);
    }

    /**
     * One Cairn for all the tests of the class, opened before the first and closed after the last;
     * it takes effect when the extension is registered in a {@code static} field.
     */
    public CairnExtension perClass() {
        this.perClass = true;
        return this;
    }

    /** A topic created in every Cairn this extension opens (and again by {@link #reset()}). */
    public CairnExtension withTopic(String name, TopicConfig config) {
        topics.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(config, "config"));
        return this;
    }

    /** A topic with {@code partitions} partitions and otherwise default settings. */
    public CairnExtension withTopic(String name, int partitions) {
        return withTopic(name, TopicConfig.defaults().withPartitions(partitions));
    }

    /** A topic with one partition and default settings. */
    public CairnExtension withTopic(String name) {
        return withTopic(name, TopicConfig.defaults());
    }

    /**
     * Work run on every Cairn this extension opens, after its topics are created (and again by
     * {@link #reset()}): keys to store, records to append.
     */
    public CairnExtension withSetup(java.util.function.Consumer<Cairn> setup) {
        setups.add(Objects.requireNonNull(setup, "setup"));
        return this;
    }

    /** A string key set in database 0 of every Cairn this extension opens. */
    public CairnExtension withString(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        return withSetup(c -> c.dictionary().strings().set(key, value));
    }

    /** The Cairn reads a {@link ManualClock} that starts at the current time, truncated to the millisecond. */
    public CairnExtension withManualClock() {
        this.manualClock = true;
        this.clockStart = null;
        return this;
    }

    /** The Cairn reads a {@link ManualClock} that starts at {@code start}. */
    public CairnExtension withManualClock(Instant start) {
        this.manualClock = true;
        this.clockStart = Objects.requireNonNull(start, "start");
        return this;
    }

    /**
     * The Cairn registers its metrics as MBeans in the platform MBean server, as a Cairn opened
     * outside the test kit does by default; off unless asked for, see the class comment.
     */
    public CairnExtension withJmx() {
        this.jmx = true;
        return this;
    }

    // ---------------------------------------------------------------- what tests use

    /** The Cairn of the running test, opened now if it is not open yet. */
    public Cairn cairn() {
        return running().cairn();
    }

    public Log log() {
        return cairn().log();
    }

    public Dictionary dictionary() {
        return cairn().dictionary();
    }

    /**
     * The manual clock the Cairn reads.
     *
     * @throws IllegalStateException if the extension was not given {@link #withManualClock}
     */
    public ManualClock clock() {
        ManualClock clock = running().clock();
        if (clock == null) {
            throw new IllegalStateException("this Cairn reads the system clock: declare the extension withManualClock()");
        }
        return clock;
    }

    /** The Kafka listener's {@code bootstrap.servers}, starting it on a free port if needed. */
    public String kafkaBootstrapServers() {
        return running().kafkaBootstrapServers();
    }

    /** The Redis listener's address ({@code redis://127.0.0.1:port}), starting it on a free port if needed. */
    public URI redisUri() {
        return running().redisUri();
    }

    /**
     * Empties a shared Cairn: deletes every group and its committed offsets, every topic, every
     * key of every open database, then creates the declared topics and runs the declared setup
     * again. Consumers of the previous test must be closed first: a group with live members
     * cannot be deleted ({@link dev.cairn.log.GroupNotEmptyException}).
     */
    public void reset() {
        Cairn cairn = cairn();
        Log log = cairn.log();
        for (String group : log.listGroups()) {
            log.deleteGroup(group);
        }
        for (String topic : log.topics()) {
            log.deleteTopic(topic);
        }
        for (int db = 0; db < Cairn.DATABASES; db++) {
            if (cairn.isOpen(db)) {
                cairn.dictionary(db).keys().flush();
            }
        }
        declare(cairn);
    }

    /** Every record of {@code topic}, partition by partition, each in offset order. */
    public List<ConsumerRecord> records(String topic) {
        return LogReading.records(log(), topic);
    }

    /** The end offset of each partition of {@code topic}. */
    public Map<TopicPartition, Long> endOffsets(String topic) {
        return LogReading.endOffsets(log(), topic);
    }

    /**
     * Polls {@code consumer} until it has returned at least {@code count} records in all.
     *
     * @return the records polled, in the order polled (possibly more than {@code count})
     * @throws AssertionError naming what arrived if {@code timeout} passes first
     */
    public static List<ConsumerRecord> pollUntil(Consumer consumer, int count, Duration timeout) {
        return LogReading.pollUntil(consumer, count, timeout);
    }

    // ---------------------------------------------------------------- JUnit's callbacks

    @Override
    public void beforeAll(ExtensionContext context) {
        if (perClass) {
            running();
            openedForClass = true;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (openedForClass) {
            openedForClass = false;
            closeRunning();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        running();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!openedForClass) {
            closeRunning();
        }
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        if (running != null && !running.cairn().isClosed()) {
            String dump = StateDump.of(running.cairn());
            context.publishReportEntry("cairn-state", dump);
            failure.addSuppressed(new CairnStateAtFailure(dump));
        }
        throw failure;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (parameter.isAnnotated(KafkaBootstrapServers.class)) {
            return type == String.class;
        }
        if (parameter.isAnnotated(RedisUri.class)) {
            return type == String.class || type == URI.class;
        }
        return type == Cairn.class || type == Log.class || type == Dictionary.class || type == ManualClock.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (parameter.isAnnotated(KafkaBootstrapServers.class)) {
            return resolve(parameter, this::kafkaBootstrapServers);
        }
        if (parameter.isAnnotated(RedisUri.class)) {
            URI uri = resolve(parameter, this::redisUri);
            return type == URI.class ? uri : uri.toString();
        }
        if (type == ManualClock.class) {
            return resolve(parameter, this::clock);
        }
        if (type == Log.class) {
            return log();
        }
        if (type == Dictionary.class) {
            return dictionary();
        }
        return cairn();
    }

    private static <T> T resolve(ParameterContext parameter, Supplier<T> value) {
        try {
            return value.get();
        } catch (RuntimeException e) {
            throw new ParameterResolutionException("cannot provide " + parameter.getParameter() + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- the running Cairn

    private RunningCairn running() {
        if (running == null || running.cairn().isClosed()) {
            ManualClock clock = null;
            if (manualClock) {
                clock = clockStart == null ? ManualClock.startingNow() : ManualClock.at(clockStart);
            }
            RunningCairn opened = RunningCairn.open(onDisk, clock, jmx);
            try {
                declare(opened.cairn());
            } catch (RuntimeException e) {
                opened.close();
                throw e;
            }
            running = opened;
        }
        return running;
    }

    private void declare(Cairn cairn) {
        topics.forEach((name, config) -> cairn.log().createTopic(name, config));
        setups.forEach(setup -> setup.accept(cairn));
    }

    private void closeRunning() {
        RunningCairn closing = running;
        running = null;
        if (closing != null) {
            closing.close();
        }
    }

    /** Carries the state dump in a failed test's report; it has no stack trace of its own. */
    static final class CairnStateAtFailure extends Exception {
        private static final long serialVersionUID = 1L;

        CairnStateAtFailure(String dump) {
            super(dump, null, false, false);
        }
    }
}
