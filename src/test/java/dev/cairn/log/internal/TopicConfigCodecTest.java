package dev.cairn.log.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.common.CorruptFileException;
import dev.cairn.common.Durability;
import dev.cairn.log.CleanupPolicy;
import dev.cairn.log.TimestampType;
import dev.cairn.log.TopicConfig;
import dev.cairn.storage.AtomicFile;
import dev.cairn.storage.Storage;
import dev.cairn.storage.fs.MemoryFileSystem;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class TopicConfigCodecTest {
    /**
     * A version 1 payload as the previous release wrote it: 3 partitions, 2048-byte segments,
     * segment ms 60000, retention ms 120000, retention bytes -1, compact, delete retention ms 5000,
     * max record bytes 4096, index interval 512, durability ALWAYS.
     */
    private static final String VERSION_1 = "00000003" + "0000000000000800" + "000000000000ea60"
            + "000000000001d4c0" + "ffffffffffffffff" + "01" + "0000000000001388" + "00001000" + "00000200" + "01";

    private static TopicConfig version1Config() {
        return new TopicConfig(3, 2048, 60_000, 120_000, -1, CleanupPolicy.COMPACT, 5_000, 4096, 512,
                Durability.ALWAYS);
    }

    @Test
    void roundTripsEverySettingInTheCurrentVersion() {
        TopicConfig config = version1Config().withTimestampType(TimestampType.LOG_APPEND_TIME)
                .withMinCompactionLagMs(3_600_000).withReplicationFactor(3).withMinInsyncReplicas(2);
        ByteBuffer payload = TopicConfigCodec.encode(config);
        assertThat(payload.remaining()).isEqualTo(TopicConfigCodec.SIZE).isEqualTo(67);
        assertThat(TopicConfigCodec.decode("t.topic", TopicConfigCodec.VERSION, payload)).isEqualTo(config);
        assertThat(TopicConfigCodec.decode("t.topic", TopicConfigCodec.VERSION,
                TopicConfigCodec.encode(TopicConfig.defaults()))).isEqualTo(TopicConfig.defaults());
    }

    @Test
    void readsVersion1BytesWithKafkasDefaultsForTheNewSettings() {
        ByteBuffer old = ByteBuffer.wrap(HexFormat.of().parseHex(VERSION_1));
        assertThat(old.remaining()).isEqualTo(TopicConfigCodec.SIZE_V1).isEqualTo(54);
        TopicConfig config = TopicConfigCodec.decode("t.topic", (short) 1, old);
        assertThat(config).isEqualTo(version1Config());
        assertThat(config.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
        assertThat(config.minCompactionLagMs()).isZero();
        assertThat(config.replicationFactor()).isEqualTo(1);
        assertThat(config.minInsyncReplicas()).isEqualTo(1);
        // The current layout begins with version 1's.
        assertThat(HexFormat.of().formatHex(TopicConfigCodec.encode(config).array())).startsWith(VERSION_1);
    }

    @Test
    void readsVersion2BytesWithOneReplicaInSync() {
        TopicConfig config = version1Config().withTimestampType(TimestampType.LOG_APPEND_TIME).withMinCompactionLagMs(9);
        ByteBuffer v2 = TopicConfigCodec.encode(config).limit(TopicConfigCodec.SIZE_V2);
        assertThat(TopicConfigCodec.decode("t.topic", (short) 2, v2)).isEqualTo(config);
    }

    @Test
    void refusesAPayloadWhoseLengthIsNotItsVersionsOrAFieldOutOfRange() {
        ByteBuffer old = ByteBuffer.wrap(HexFormat.of().parseHex(VERSION_1));
        assertThatThrownBy(() -> TopicConfigCodec.decode("t.topic", TopicConfigCodec.VERSION, old))
                .isInstanceOf(CorruptFileException.class).hasMessageContaining("54 bytes, expected 67 for version 3");
        ByteBuffer current = TopicConfigCodec.encode(TopicConfig.defaults());
        assertThatThrownBy(() -> TopicConfigCodec.decode("t.topic", (short) 1, current))
                .isInstanceOf(CorruptFileException.class).hasMessageContaining("67 bytes, expected 54 for version 1");
        assertThatThrownBy(() -> TopicConfigCodec.decode("t.topic", (short) 2, TopicConfigCodec.encode(TopicConfig.defaults())))
                .isInstanceOf(CorruptFileException.class).hasMessageContaining("67 bytes, expected 63 for version 2");
        ByteBuffer noReplicas = TopicConfigCodec.encode(TopicConfig.defaults());
        noReplicas.putShort(TopicConfigCodec.REPLICATION_FACTOR_OFFSET, (short) 0);
        assertThatThrownBy(() -> TopicConfigCodec.decode("t.topic", TopicConfigCodec.VERSION, noReplicas))
                .isInstanceOf(CorruptFileException.class).hasMessageContaining("replicationFactor must be in [1, ");
        ByteBuffer badType = TopicConfigCodec.encode(TopicConfig.defaults());
        badType.put(TopicConfigCodec.TIMESTAMP_TYPE_OFFSET, (byte) 7);
        assertThatThrownBy(() -> TopicConfigCodec.decode("t.topic", TopicConfigCodec.VERSION, badType))
                .isInstanceOf(CorruptFileException.class).hasMessageContaining("invalid topic config");
        ByteBuffer negativeLag = TopicConfigCodec.encode(TopicConfig.defaults());
        negativeLag.putLong(TopicConfigCodec.MIN_COMPACTION_LAG_MS_OFFSET, -1);
        assertThatThrownBy(() -> TopicConfigCodec.decode("t.topic", TopicConfigCodec.VERSION, negativeLag))
                .isInstanceOf(CorruptFileException.class).hasMessageContaining("minCompactionLagMs must be >= 0");
    }

    // Scenario: a data directory of the previous release (its topic file at version 1) opens with
    // the topic's settings and the new ones at their defaults; a change writes the file at version 2.
    @Test
    void aLogOpensAVersion1TopicFileAndRewritesItAtTheCurrentVersionOnChange() {
        MemoryFileSystem fs = new MemoryFileSystem();
        Storage storage = Storage.open(fs, Path.of("/data"), 1000);
        Path logDir = storage.root().resolve("log");
        LogOptions options = LogOptions.of(() -> Instant.ofEpochMilli(1_000), Durability.NONE, false)
                .withMaintenanceIntervalMs(0);
        DefaultLog log = DefaultLog.open(storage, logDir, options);
        log.createTopic("t", version1Config());
        log.close();
        Path file = logDir.resolve("t.topic");
        AtomicFile.write(fs, file, TopicConfigCodec.MAGIC, (short) 1, ByteBuffer.wrap(HexFormat.of().parseHex(VERSION_1)));
        try {
            log = DefaultLog.open(storage, logDir, options);
            assertThat(log.describeTopic("t").config()).isEqualTo(version1Config());
            log.alterTopicConfig("t", c -> c.withTimestampType(TimestampType.LOG_APPEND_TIME));
            AtomicFile.Versioned stored = AtomicFile.readVersioned(fs, file, TopicConfigCodec.MAGIC,
                    TopicConfigCodec.VERSION).orElseThrow();
            assertThat(stored.version()).isEqualTo(TopicConfigCodec.VERSION);
            log.close();
            log = DefaultLog.open(storage, logDir, options);
            assertThat(log.describeTopic("t").config())
                    .isEqualTo(version1Config().withTimestampType(TimestampType.LOG_APPEND_TIME));
        } finally {
            log.close();
            storage.close();
        }
    }
}
