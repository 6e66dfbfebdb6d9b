package dev.cairn.metrics.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.Cairn;
import dev.cairn.common.Durability;
import dev.cairn.dictionary.Dictionary;
import dev.cairn.log.Appender;
import dev.cairn.log.Log;
import dev.cairn.log.TopicConfig;
import dev.cairn.log.TopicPartition;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CairnMeterBinderTest {
    @Test
    void theSameFiguresUnderMicrometerNames(@TempDir Path dir) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Cairn cairn = Cairn.builder().directory(dir).durability(Durability.ALWAYS).jmx(false).open();
                CairnMeterBinder binder = new CairnMeterBinder(cairn, Tags.of("cairn", "test"), Duration.ZERO)) {
            binder.bindTo(registry);
            assertThat(registry.find("cairn.fsync.latency").tag("cairn", "test").functionTimer()).isNotNull();

            Log log = cairn.log();
            log.createTopic("orders", TopicConfig.defaults().withPartitions(2));
            Appender appender = log.appender("orders");
            for (int i = 0; i < 6; i++) {
                appender.append(0, null, "v".getBytes(StandardCharsets.UTF_8));
            }
            log.alterCommittedOffsets("billing", Map.of(new TopicPartition("orders", 0), 2L));
            Dictionary db = cairn.dictionary();
            db.strings().set("a", "1");
            db.strings().get("a");
            db.strings().get("b");
            db.strings().get("c");
            binder.refresh(); // otherwise within a second

            assertThat(registry.get("cairn.log.records.appended").tags("topic", "orders", "cairn", "test")
                    .functionCounter().count()).isEqualTo(6);
            assertThat(registry.get("cairn.log.bytes.appended").tags("topic", "orders").functionCounter().count())
                    .isEqualTo(cairn.metrics().topic("orders").orElseThrow().bytesAppended());
            assertThat(registry.get("cairn.log.end.offset").tags("topic", "orders", "partition", "0").gauge().value())
                    .isEqualTo(6);
            assertThat(registry.get("cairn.consumer.lag").tags("group", "billing", "topic", "orders", "partition", "0")
                    .gauge().value()).isEqualTo(4);
            FunctionTimer fsync = registry.get("cairn.fsync.latency").functionTimer();
            assertThat(fsync.count()).isGreaterThanOrEqualTo(6);
            assertThat(fsync.totalTime(TimeUnit.NANOSECONDS)).isPositive();
            assertThat(registry.get("cairn.fsync.latency.percentile").tag("phi", "0.99").timeGauge()
                    .value(TimeUnit.NANOSECONDS)).isPositive();
            assertThat(registry.get("cairn.dictionary.keys").tag("db", "0").gauge().value()).isEqualTo(1);
            assertThat(registry.get("cairn.dictionary.keyspace.hits").tag("db", "0").functionCounter().count())
                    .isEqualTo(1);
            assertThat(registry.get("cairn.dictionary.keyspace.misses").tag("db", "0").functionCounter().count())
                    .isEqualTo(2);
            assertThat(registry.get("cairn.dictionary.aof.size").tag("db", "0").gauge().value()).isPositive();
            assertThat(registry.get("cairn.dictionary.snapshot.age").tag("db", "0").timeGauge()
                    .value(TimeUnit.MILLISECONDS)).isNaN();

            log.deleteTopic("orders");
            binder.refresh();
            assertThat(registry.find("cairn.log.end.offset").tag("topic", "orders").gauges()).isEmpty();
            assertThat(registry.find("cairn.consumer.lag").gauges()).isEmpty();
        }
        assertThat(registry.getMeters()).as("the binder removes its meters on close").isEmpty();
    }

    @Test
    void twoCairnsInOneRegistryKeepTheirOwnMeters() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CairnMeterBinder one = null;
        try (Cairn first = Cairn.builder().inMemory().jmx(false).open();
                Cairn second = Cairn.builder().inMemory().jmx(false).open();
                CairnMeterBinder two = new CairnMeterBinder(second, Tags.of("cairn", "two"), Duration.ZERO)) {
            one = new CairnMeterBinder(first, Tags.of("cairn", "one"), Duration.ZERO);
            first.dictionary().strings().set("k", "v");
            second.dictionary();
            one.bindTo(registry);
            two.bindTo(registry);
            assertThat(registry.get("cairn.dictionary.keys").tag("cairn", "one").gauge().value()).isEqualTo(1);
            assertThat(registry.get("cairn.dictionary.keys").tag("cairn", "two").gauge().value()).isZero();
            one.close();
            assertThat(registry.find("cairn.dictionary.keys").tag("cairn", "one").gauges()).isEmpty();
            assertThat(registry.find("cairn.dictionary.keys").tag("cairn", "two").gauges()).hasSize(1);
        } finally {
            if (one != null) {
                one.close();
            }
        }
    }

    @Test
    void afterTheCairnClosesTheGaugesReadNaNAndAClosedBinderRefusesToBind() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CairnMeterBinder binder;
        try (Cairn cairn = Cairn.builder().inMemory().jmx(false).open()) {
            cairn.dictionary();
            binder = new CairnMeterBinder(cairn, Tags.empty(), Duration.ZERO);
            binder.bindTo(registry);
        }
        assertThat(registry.get("cairn.dictionary.keys").gauge().value()).isNaN();
        binder.close();
        assertThatThrownBy(() -> binder.bindTo(registry)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        try (Cairn other = Cairn.builder().inMemory().jmx(false).open()) {
            assertThatThrownBy(() -> new CairnMeterBinder(other, Tags.empty(), Duration.ofMillis(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-0.001S");
        }
    }
}
