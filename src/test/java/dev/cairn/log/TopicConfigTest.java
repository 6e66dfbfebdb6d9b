package dev.cairn.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicConfigTest {
    @Test
    void defaultsAreKafkasForTheTimestampTypeAndCompactionLag() {
        TopicConfig defaults = TopicConfig.defaults();
        assertThat(defaults.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
        assertThat(defaults.minCompactionLagMs()).isZero();
        // The constructor without the two takes the same defaults.
        assertThat(new TopicConfig(1, 1L << 30, defaults.segmentMs(), defaults.retentionMs(), -1,
                CleanupPolicy.DELETE, defaults.deleteRetentionMs(), 1 << 20, 4096, null)).isEqualTo(defaults);
    }

    @Test
    void withMethodsChangeOnlyTheirSetting() {
        TopicConfig changed = TopicConfig.defaults().withTimestampType(TimestampType.LOG_APPEND_TIME)
                .withMinCompactionLagMs(60_000);
        assertThat(changed.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(changed.minCompactionLagMs()).isEqualTo(60_000);
        assertThat(changed.withTimestampType(TimestampType.CREATE_TIME).withMinCompactionLagMs(0))
                .isEqualTo(TopicConfig.defaults());
        assertThat(changed.withRetentionMs(5).timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(changed.withPartitions(3).minCompactionLagMs()).isEqualTo(60_000);
    }

    @Test
    void refusesANegativeLagAndANullTimestampType() {
        assertThatThrownBy(() -> TopicConfig.defaults().withMinCompactionLagMs(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("minCompactionLagMs must be >= 0, was -1");
        assertThatThrownBy(() -> TopicConfig.defaults().withTimestampType(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("timestampType");
        assertThat(TopicConfig.defaults().withMinCompactionLagMs(Long.MAX_VALUE).minCompactionLagMs())
                .isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void timestampTypesGoByKafkasNamesExactly() {
        assertThat(TimestampType.forKafkaName("CreateTime")).isEqualTo(TimestampType.CREATE_TIME);
        assertThat(TimestampType.forKafkaName("LogAppendTime")).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(TimestampType.LOG_APPEND_TIME.kafkaName()).isEqualTo("LogAppendTime");
        assertThatThrownBy(() -> TimestampType.forKafkaName("logappendtime"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("message.timestamp.type must be CreateTime or LogAppendTime, not logappendtime");
        assertThatThrownBy(() -> TimestampType.forKafkaName("Foo")).isInstanceOf(IllegalArgumentException.class);
    }
}
