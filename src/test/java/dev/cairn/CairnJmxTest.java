package dev.cairn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.common.Durability;
import dev.cairn.dictionary.Dictionary;
import dev.cairn.log.Appender;
import dev.cairn.log.Log;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicPartition;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MBeanServerDelegate;
import javax.management.MBeanServerNotification;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CairnJmxTest {
    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

    private static Object read(String name, String attribute) throws JMException {
        return SERVER.getAttribute(new ObjectName(name), attribute);
    }

    private static Set<ObjectName> beansOf(String cairnName) throws JMException {
        return SERVER.queryNames(new ObjectName("dev.cairn.*:cairn=" + cairnName + ",*"), null);
    }

    @Test
    void logStorageAndDictionaryFiguresReadThroughThePlatformMBeanServer(@TempDir Path dir) throws JMException {
        try (Cairn cairn = Cairn.builder().directory(dir).metricsName("jmx-figures").durability(Durability.ALWAYS)
                .open()) {
            assertThat(cairn.metricsName()).isEqualTo("jmx-figures");
            Log log = cairn.log();
            log.createTopic("orders", TopicConfig.defaults().withPartitions(2));
            Appender appender = log.appender("orders");
            for (int i = 0; i < 7; i++) {
                appender.append(1, null, "value".getBytes(StandardCharsets.UTF_8));
            }
            log.alterCommittedOffsets("billing", Map.of(new TopicPartition("orders", 1), 3L));
            Dictionary db = cairn.dictionary();
            db.strings().set("a", "1");
            db.strings().get("a");
            db.strings().get("missing");
            cairn.refreshJmx(); // the topic and the group are otherwise registered within a second

            String log1 = ",topic=orders,partition=1";
            assertThat(read("dev.cairn.log:type=LogMetrics,cairn=jmx-figures,name=RecordsAppended" + log1, "Count"))
                    .isEqualTo(7L);
            assertThat(read("dev.cairn.log:type=LogMetrics,cairn=jmx-figures,name=LogEndOffset" + log1, "Value"))
                    .isEqualTo(7L);
            PartitionMetrics p1 = cairn.metrics().topic("orders").orElseThrow().partitions().get(1);
            assertThat(read("dev.cairn.log:type=LogMetrics,cairn=jmx-figures,name=Size" + log1, "Value"))
                    .isEqualTo(p1.sizeBytes());
            assertThat(read("dev.cairn.log:type=TopicMetrics,cairn=jmx-figures,name=RecordsAppended,topic=orders",
                    "Count")).isEqualTo(7L);
            assertThat(read("dev.cairn.log:type=TopicMetrics,cairn=jmx-figures,name=BytesAppended", "Count"))
                    .isEqualTo(p1.bytesAppended());
            assertThat(read("dev.cairn.log:type=ConsumerLag,cairn=jmx-figures,name=Lag,group=billing" + log1, "Value"))
                    .isEqualTo(4L);
            assertThat((Long) read("dev.cairn.storage:type=Fsync,cairn=jmx-figures,name=Latency", "Count"))
                    .isGreaterThanOrEqualTo(7L);
            assertThat((Long) read("dev.cairn.storage:type=Fsync,cairn=jmx-figures,name=Latency",
                    "99thPercentileNanos")).isPositive();
            assertThat(read("dev.cairn.dictionary:type=Keyspace,cairn=jmx-figures,name=Keys,db=0", "Value"))
                    .isEqualTo(1L);
            assertThat(read("dev.cairn.dictionary:type=Keyspace,cairn=jmx-figures,name=KeyspaceHits,db=0", "Count"))
                    .isEqualTo(1L);
            assertThat(read("dev.cairn.dictionary:type=Keyspace,cairn=jmx-figures,name=KeyspaceMisses,db=0", "Count"))
                    .isEqualTo(1L);
            assertThat((Long) read("dev.cairn.dictionary:type=Persistence,cairn=jmx-figures,name=AppendOnlyBytes,db=0",
                    "Value")).isPositive();

            log.deleteTopic("orders");
            cairn.refreshJmx();
            assertThat(beansOf("jmx-figures")).noneMatch(n -> "orders".equals(n.getKeyProperty("topic")));
        }
        assertThat(beansOf("jmx-figures")).isEmpty();
    }

    @Test
    void everyCounterIsAMeterWithKafkasRateAttributes() throws JMException {
        try (Cairn cairn = Cairn.builder().inMemory().metricsName("jmx-rates").open()) {
            cairn.log().createTopic("orders", TopicConfig.defaults());
            cairn.refreshJmx();
            JmxMetrics jmx = cairn.jmxMetrics();
            long start = System.nanoTime();
            jmx.sampleRates(start);
            Appender appender = cairn.log().appender("orders");
            for (int i = 0; i < 500; i++) {
                appender.append(0, null, "value".getBytes(StandardCharsets.UTF_8));
            }
            jmx.sampleRates(start + MovingRate.TICK_NANOS); // the refresh thread's tick, five seconds on
            String name = "dev.cairn.log:type=TopicMetrics,cairn=jmx-rates,name=RecordsAppended,topic=orders";
            assertThat(read(name, "Count")).isEqualTo(500L);
            assertThat((Double) read(name, "OneMinuteRate")).isEqualTo(100.0);
            assertThat((Double) read(name, "FiveMinuteRate")).isEqualTo(100.0);
            assertThat((Double) read(name, "FifteenMinuteRate")).isEqualTo(100.0);
            assertThat((Double) read(name, "MeanRate")).isPositive();
            assertThat(SERVER.getMBeanInfo(new ObjectName(name)).getAttributes())
                    .extracting(a -> a.getName() + ":" + a.getType())
                    .contains("OneMinuteRate:java.lang.Double", "Count:java.lang.Long");
            assertThat(SERVER.getMBeanInfo(new ObjectName(
                    "dev.cairn.log:type=LogMetrics,cairn=jmx-rates,name=LogEndOffset,topic=orders,partition=0"))
                    .getAttributes()).extracting(a -> a.getName()).containsExactly("Value");
        }
    }

    @Test
    void aTopicCreatedAfterOpenIsRegisteredInTheBackground() throws JMException, InterruptedException {
        // The MBean server announces each registration: the test waits for that of the new topic.
        ObjectName name = new ObjectName(
                "dev.cairn.log:type=LogMetrics,cairn=jmx-background,name=LogEndOffset,topic=late,partition=0");
        CountDownLatch registered = new CountDownLatch(1);
        NotificationListener listener = (notification, handback) -> {
            if (notification instanceof MBeanServerNotification n
                    && MBeanServerNotification.REGISTRATION_NOTIFICATION.equals(n.getType())
                    && n.getMBeanName().equals(name)) {
                registered.countDown();
            }
        };
        SERVER.addNotificationListener(MBeanServerDelegate.DELEGATE_NAME, listener, null, null);
        try (Cairn cairn = Cairn.builder().inMemory().metricsName("jmx-background").open()) {
            cairn.log().createTopic("late", TopicConfig.defaults());
            assertThat(registered.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(SERVER.isRegistered(name)).isTrue();
        } finally {
            SERVER.removeNotificationListener(MBeanServerDelegate.DELEGATE_NAME, listener);
        }
    }

    @Test
    void twoCairnsWithOneNameGetDistinctMBeansAndEachUnregistersItsOwn() throws JMException {
        Cairn first = Cairn.builder().inMemory().metricsName("twin").open();
        Cairn second = Cairn.builder().inMemory().metricsName("twin").open();
        try {
            assertThat(first.metricsName()).isEqualTo("twin");
            assertThat(second.metricsName()).isEqualTo("twin-2");
            first.dictionary().strings().set("k", "v");
            second.dictionary();
            assertThat(read("dev.cairn.dictionary:type=Keyspace,cairn=twin,name=Keys,db=0", "Value")).isEqualTo(1L);
            assertThat(read("dev.cairn.dictionary:type=Keyspace,cairn=twin-2,name=Keys,db=0", "Value")).isEqualTo(0L);
            first.close();
            assertThat(beansOf("twin")).isEmpty();
            assertThat(beansOf("twin-2")).isNotEmpty();
        } finally {
            first.close();
            second.close();
        }
        assertThat(beansOf("twin-2")).isEmpty();
        try (Cairn again = Cairn.builder().inMemory().metricsName("twin").open()) {
            assertThat(again.metricsName()).as("a closed Cairn's name is free again").isEqualTo("twin");
        }
    }

    @Test
    void theDefaultNameIsTheDirectorysAndUnsafeCharactersAreReplaced(@TempDir Path temp) {
        try (Cairn cairn = Cairn.open(temp.resolve("orders data"))) {
            assertThat(cairn.metricsName()).isEqualTo("orders_data");
        }
    }

    @Test
    void jmxCanBeTurnedOff() throws JMException {
        try (Cairn cairn = Cairn.builder().inMemory().metricsName("jmx-off").jmx(false).open()) {
            cairn.dictionary();
            cairn.log();
            assertThat(cairn.metricsName()).isNull();
            assertThat(beansOf("jmx-off")).isEmpty();
            assertThat(cairn.metrics().databases()).hasSize(1);
        }
    }
}
