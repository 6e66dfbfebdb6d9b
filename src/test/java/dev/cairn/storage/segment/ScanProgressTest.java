package dev.cairn.storage.segment;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.cairn.Cairn;
import dev.cairn.common.Durability;
import dev.cairn.log.ProducerRecord;
import dev.cairn.storage.Storage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Recovery reports its progress: a long scan logs which file, bytes of the total and the time
 * taken, at most once per period and never per entry; a small store that opens cleanly logs at
 * most one summary line at INFO. The period and the bytes between clock reads are shortened here
 * so that a store of a few megabytes counts as a long one.
 */
class ScanProgressTest {
    private static final long PERIOD_NANOS = ScanProgress.periodNanos;
    private static final long CHECK_EVERY_BYTES = ScanProgress.checkEveryBytes;

    @AfterEach
    void restoreKnobs() {
        ScanProgress.periodNanos = PERIOD_NANOS;
        ScanProgress.checkEveryBytes = CHECK_EVERY_BYTES;
    }

    /** Runs {@code open} with {@code loggerName} at {@code level} and returns the events it logged at INFO or above. */
    private static List<ILoggingEvent> logged(String loggerName, Level level, Supplier<AutoCloseable> open)
            throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(loggerName);
        Level before = logger.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(level);
        try (AutoCloseable opened = open.get()) {
            assertThat(opened).isNotNull();
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(before);
        }
        return appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO)).toList();
    }

    private static List<String> progressLines(List<ILoggingEvent> events, String what) {
        return events.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.startsWith(what) && m.contains(" bytes (") && m.contains("%) after ")).toList();
    }

    @Test
    void aLongTailScanLogsProgressPerPeriodNotPerEntry(@TempDir Path root) throws Exception {
        Path dir = root.resolve("file");
        SegmentedFileOptions options = SegmentedFileOptions.defaults(".log").withSegmentBytes(64L << 20)
                .withDurability(Durability.NONE);
        int entries = 20_000;
        try (Storage storage = Storage.open(root); SegmentedFile file = SegmentedFile.open(storage, dir, options, 0)) {
            ByteBuffer entry = ByteBuffer.allocate(100);
            for (int i = 0; i < entries; i++) {
                file.append(entry.clear());
            }
        }
        Files.delete(dir.resolve(SegmentedFile.CLEAN_MARKER)); // as after a crash: the tail is scanned
        Path segment = dir.resolve(SegmentFormat.fileName(0, ".log"));
        long size = Files.size(segment);
        ScanProgress.periodNanos = 0;
        ScanProgress.checkEveryBytes = 256 * 1024;

        Storage storage = Storage.open(root);
        List<ILoggingEvent> events = logged(ScanProgress.class.getName(), Level.DEBUG, () -> {
            SegmentedFile file = SegmentedFile.open(storage, dir, options, 0);
            return () -> {
                file.close();
                storage.close();
            };
        });

        List<String> progress = progressLines(events, "recovering " + segment);
        assertThat(progress).as("progress lines").hasSizeGreaterThanOrEqualTo(2)
                .hasSizeLessThanOrEqualTo((int) (size / ScanProgress.checkEveryBytes) + 1);
        assertThat(progress.get(0)).containsPattern("of " + String.format(java.util.Locale.ROOT, "%,d", size) + " bytes \\(\\d+%\\) after");
        assertThat(events).extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(m -> m.startsWith("recovering " + segment + ": " + String.format(java.util.Locale.ROOT, "%,d", size) + " bytes, "
                        + String.format(java.util.Locale.ROOT, "%,d", entries) + " entries in "));
    }

    @Test
    void aLongAppendOnlyReplayLogsProgress(@TempDir Path root) throws Exception {
        int keys = 10_000;
        try (Cairn cairn = Cairn.builder().directory(root).durability(Durability.NONE).jmx(false).open()) {
            for (int i = 0; i < keys; i++) {
                cairn.dictionary().strings().set("key:" + i, ("value " + i).getBytes(StandardCharsets.UTF_8));
            }
        }
        ScanProgress.periodNanos = 0;
        ScanProgress.checkEveryBytes = 64 * 1024;

        List<ILoggingEvent> events = logged(ScanProgress.class.getName(), Level.DEBUG, () -> {
            Cairn cairn = Cairn.builder().directory(root).jmx(false).open();
            assertThat(cairn.dictionary().strings().get("key:" + (keys - 1))).isNotNull();
            return cairn;
        });

        List<String> progress = progressLines(events, "replaying " + root.resolve("dictionary"));
        assertThat(progress).hasSizeGreaterThanOrEqualTo(2).hasSizeLessThan(keys / 100);
        assertThat(events).extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(m -> m.startsWith("replaying ") && m.contains(String.format(java.util.Locale.ROOT, "%,d", keys) + " entries in "));
    }

    @Test
    void aSmallStoreThatOpensCleanlyLogsAtMostOneLineAtInfo(@TempDir Path root) throws Exception {
        try (Cairn cairn = Cairn.builder().directory(root).jmx(false).open()) {
            cairn.log().createTopic("events", dev.cairn.log.TopicConfig.defaults());
            cairn.log().append(new ProducerRecord("events", 0, null, null, new byte[] {1}, List.of()));
            cairn.dictionary().strings().set("k", new byte[] {2});
        }

        List<ILoggingEvent> events = logged("dev.cairn", Level.INFO, () -> {
            Cairn cairn = Cairn.builder().directory(root).jmx(false).open();
            assertThat(cairn.log().endOffset(new dev.cairn.log.TopicPartition("events", 0))).isEqualTo(1);
            assertThat(cairn.dictionary().strings().get("k")).isEqualTo(new byte[] {2});
            return cairn;
        });

        assertThat(events).extracting(ILoggingEvent::getFormattedMessage).hasSizeLessThanOrEqualTo(1);
    }
}
