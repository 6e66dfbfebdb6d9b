package dev.cairn.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client-level tests ({@link AbstractKafkaClientsTest}, {@link AbstractKafkaAdminTest},
 * {@link AbstractKafkaGroupOffsetsTest}) with kafka-clients 3.9 against Cairn, whose server goes
 * on using 4.x's message classes in the same JVM.
 *
 * <p>The build copies the 3.x jar into target/ (it is not on the class path); a
 * {@link ChildFirstClassLoader} over it and the test classes loads {@code org.apache.kafka} and
 * the tests themselves, so their references to the client resolve to 3.x while Cairn, JUnit and
 * AssertJ are the test class path's. The tests' methods are then run one by one, each on a new
 * instance, as JUnit would (the abstract tests use nothing but {@code @Test} and
 * {@code @ParameterizedTest} with {@code @ValueSource}); their failures are AssertionErrors or
 * exceptions, which pass from loader to loader as they are.
 */
class OlderKafkaClientsTest {
    private static final String VERSION = System.getProperty("cairn.kafka-clients-3.version", "3.9.2");
    private static Cairn cairn;
    private static KafkaServer server;
    private static ChildFirstClassLoader loader;

    @BeforeAll
    static void start() throws Exception {
        cairn = Cairn.inMemory();
        server = KafkaServer.start(cairn, KafkaServerOptions.DEFAULT.withPort(0));
        loader = new ChildFirstClassLoader(new URL[] {clientsJar(), testClasses()},
                OlderKafkaClientsTest.class.getClassLoader(), OlderKafkaClientsTest::loadedWithOlderClients);
    }

    @AfterAll
    static void stop() throws Exception {
        if (cairn != null) {
            cairn.close();
        }
        if (loader != null) {
            loader.close();
        }
    }

    private static URL clientsJar() throws MalformedURLException {
        String property = System.getProperty("cairn.kafka-clients-3.jar");
        Path jar = property != null ? Path.of(property) : findCopiedJar();
        assertThat(jar).as("kafka-clients %s, copied by the build's process-test-resources phase", VERSION)
                .isRegularFile();
        return jar.toUri().toURL();
    }

    // Outside Maven (an IDE), the jar is where the build copied it.
    private static Path findCopiedJar() {
        Path dir = Path.of("target", "kafka-clients-3");
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jar")).max(Comparator.naturalOrder())
                    .orElse(dir.resolve("missing.jar"));
        } catch (java.io.IOException e) {
            return dir.resolve("missing.jar");
        }
    }

    private static URL testClasses() {
        return AbstractKafkaClientsTest.class.getProtectionDomain().getCodeSource().getLocation();
    }

    /** The classes that must see 3.x: the client itself, and the tests that use it. */
    private static boolean loadedWithOlderClients(String name) {
        return name.startsWith("org.apache.kafka.")
                || name.startsWith(AbstractKafkaClientsTest.class.getName())
                || name.startsWith(AbstractKafkaAdminTest.class.getName())
                || name.startsWith(AbstractKafkaGroupOffsetsTest.class.getName())
                || name.startsWith(ClientTestSupport.class.getName())
                || name.startsWith(OlderKafkaClientsTest.class.getName() + "$");
    }

    // The point of the whole class: a test that ran 4.x here by mistake would prove nothing.
    @Test
    void theTestsRunWithKafkaClients3() throws Throwable {
        Class<?> clients = loader.loadClass(Clients.class.getName());
        assertThat(clients.getClassLoader()).isSameAs(loader);
        Constructor<?> constructor = clients.getDeclaredConstructors()[0];
        constructor.setAccessible(true);
        Object tests = constructor.newInstance(server.bootstrapServers());
        Method clientVersion = clients.getDeclaredMethod("clientVersion");
        clientVersion.setAccessible(true);
        assertThat(call(clientVersion, tests)).isEqualTo(VERSION);
        Method producerClass = clients.getDeclaredMethod("producerClass");
        producerClass.setAccessible(true);
        Class<?> producer = (Class<?>) call(producerClass, null);
        assertThat(producer.getClassLoader()).isSameAs(loader);
        assertThat(producer.getProtectionDomain().getCodeSource().getLocation().getPath())
                .endsWith("kafka-clients-" + VERSION + ".jar");
        assertThat(org.apache.kafka.clients.producer.KafkaProducer.class.getProtectionDomain().getCodeSource()
                .getLocation().getPath()).as("the server's").doesNotEndWith("kafka-clients-" + VERSION + ".jar");
    }

    @TestFactory
    Stream<DynamicTest> producerConsumerAndAdminTopics() throws Exception {
        return run(AbstractKafkaClientsTest.class, Clients.class, server.bootstrapServers());
    }

    @TestFactory
    Stream<DynamicTest> adminPartitionsConfigsRecordsAndCluster() throws Exception {
        return run(AbstractKafkaAdminTest.class, Admin.class, server.bootstrapServers(), server.state().clusterId,
                KafkaServerOptions.DEFAULT.nodeId());
    }

    @TestFactory
    Stream<DynamicTest> groupOffsets() throws Exception {
        return run(AbstractKafkaGroupOffsetsTest.class, GroupOffsets.class, server.bootstrapServers());
    }

    /**
     * One dynamic test per invocation of each test method that {@code tests} declares, each on a new
     * {@code subclass} (loaded with 3.x) made with {@code args}.
     */
    private static Stream<DynamicTest> run(Class<?> tests, Class<?> subclass, Object... args) throws Exception {
        Class<?> loadedSubclass = loader.loadClass(subclass.getName());
        Class<?> loadedTests = loader.loadClass(tests.getName());
        assertThat(loadedTests.getClassLoader()).isSameAs(loader);
        Constructor<?> constructor = loadedSubclass.getDeclaredConstructors()[0];
        constructor.setAccessible(true);
        List<DynamicTest> invocations = new ArrayList<>();
        Method[] methods = loadedTests.getDeclaredMethods();
        Arrays.sort(methods, Comparator.comparing(Method::getName));
        for (Method method : methods) {
            method.setAccessible(true);
            if (method.isAnnotationPresent(Test.class)) {
                invocations.add(DynamicTest.dynamicTest(method.getName(),
                        () -> call(method, constructor.newInstance(args))));
            } else if (method.isAnnotationPresent(ParameterizedTest.class)) {
                for (String value : method.getAnnotation(ValueSource.class).strings()) {
                    invocations.add(DynamicTest.dynamicTest(method.getName() + "(" + value + ")",
                            () -> call(method, constructor.newInstance(args), value)));
                }
            }
        }
        assertThat(invocations).as("tests declared by %s", tests.getSimpleName()).isNotEmpty();
        return invocations.stream();
    }

    /**
     * Calls {@code method} with the 3.x loader as the thread's context loader (which kafka-clients
     * loads configured classes with, such as the consumer's assignors), rethrowing what it throws.
     */
    private static Object call(Method method, Object target, Object... args) throws Throwable {
        Thread thread = Thread.currentThread();
        ClassLoader context = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        } finally {
            thread.setContextClassLoader(context);
        }
    }

    // The classes below are loaded with 3.x: a runtime package apart from this class, so they are
    // given what they need from it (the server's address) through their constructors.

    /** The client tests; loaded with 3.x. */
    static final class Clients extends AbstractKafkaClientsTest {
        private final String servers;

        Clients(String servers) {
            this.servers = servers;
        }

        @Override
        protected String bootstrapServers() {
            return servers;
        }

        /** The version a producer made here reports in its app-info metrics. */
        String clientVersion() {
            try (var producer = producer(common())) {
                return producer.metrics().entrySet().stream()
                        .filter(e -> e.getKey().group().equals("app-info") && e.getKey().name().equals("version"))
                        .map(e -> String.valueOf(e.getValue().metricValue())).findFirst().orElse("none");
            }
        }

        static Class<?> producerClass() {
            return org.apache.kafka.clients.producer.KafkaProducer.class;
        }
    }

    /** The Admin tests; loaded with 3.x. */
    static final class Admin extends AbstractKafkaAdminTest {
        private final String servers;
        private final String clusterId;
        private final int nodeId;

        Admin(String servers, String clusterId, Integer nodeId) {
            this.servers = servers;
            this.clusterId = clusterId;
            this.nodeId = nodeId;
        }

        @Override
        protected String bootstrapServers() {
            return servers;
        }

        @Override
        protected String clusterId() {
            return clusterId;
        }

        @Override
        protected int nodeId() {
            return nodeId;
        }
    }

    /** The group-offset tests; loaded with 3.x. */
    static final class GroupOffsets extends AbstractKafkaGroupOffsetsTest {
        private final String servers;

        GroupOffsets(String servers) {
            this.servers = servers;
        }

        @Override
        protected String bootstrapServers() {
            return servers;
        }

        // As KafkaGroupOffsetsTest says: the log keeps no metadata string.
        @Override
        protected String expectedMetadata(String committed) {
            return "";
        }
    }
}
