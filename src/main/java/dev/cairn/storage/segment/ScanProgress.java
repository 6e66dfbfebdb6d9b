package dev.cairn.storage.segment;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports how far a recovery scan of one file has got: which file, bytes scanned out of its
 * total, and the time taken. A scan that finishes within {@link #periodNanos} logs only a DEBUG
 * line at the end, so a small store that opens cleanly adds nothing at INFO; a longer one logs an
 * INFO line at most once per period while it runs, and one at the end with the time taken.
 *
 * <p>{@link #at} is called per entry but costs one comparison: the clock is read only once every
 * {@link #checkEveryBytes} scanned, so the open path does not slow down (a scan reads 64 KiB at a
 * time; the default check is every 4 MiB).
 *
 * <p>Not thread-safe: one per scan, on the scanning thread. What is truncated is logged (WARN)
 * by the recovery that truncates, not here.
 */
public final class ScanProgress {
    private static final Logger LOG = LoggerFactory.getLogger(ScanProgress.class);

    /** Time between progress lines; package-private so a test can shorten it. */
    static long periodNanos = TimeUnit.SECONDS.toNanos(2);
    /** Bytes scanned between reads of the clock; package-private so a test can shorten it. */
    static long checkEveryBytes = 4L << 20;

    private final String what;
    private final Path file;
    private final long totalBytes;
    private final long startNanos;
    private final long reportPeriodNanos;
    private final long checkBytes;
    private long nextCheckBytes;
    private long nextReportNanos;
    private boolean reported;

    private ScanProgress(String what, Path file, long totalBytes) {
        this.what = what;
        this.file = file;
        this.totalBytes = totalBytes;
        this.startNanos = System.nanoTime();
        this.reportPeriodNanos = periodNanos;
        this.checkBytes = Math.max(1, checkEveryBytes);
        this.nextCheckBytes = checkBytes;
        this.nextReportNanos = startNanos + reportPeriodNanos;
    }

    /**
     * Starts timing a scan of {@code totalBytes} of {@code file}.
     *
     * @param what what the scan is for, as a verb phrase ("recovering", "replaying", "indexing")
     */
    public static ScanProgress start(String what, Path file, long totalBytes) {
        return new ScanProgress(what, file, totalBytes);
    }

    /** Records that {@code bytesDone} of the total are scanned; logs a line when a period has passed. */
    public void at(long bytesDone) {
        if (bytesDone < nextCheckBytes) {
            return;
        }
        nextCheckBytes = bytesDone + checkBytes;
        long now = System.nanoTime();
        if (now - nextReportNanos >= 0) {
            nextReportNanos = now + reportPeriodNanos;
            reported = true;
            LOG.info(String.format(Locale.ROOT, "%s %s: %,d of %,d bytes (%d%%) after %,d ms", what, file, bytesDone,
                    totalBytes, totalBytes == 0 ? 100 : bytesDone * 100 / totalBytes, elapsedMs(now)));
        }
    }

    /** Logs the end of the scan: at INFO if it logged progress, else at DEBUG. @return the time taken in ms */
    public long finish(long bytesDone, long entries) {
        long ms = elapsedMs(System.nanoTime());
        String line = String.format(Locale.ROOT, "%s %s: %,d bytes, %,d entries in %,d ms", what, file, bytesDone,
                entries, ms);
        if (reported) {
            LOG.info(line);
        } else {
            LOG.debug(line);
        }
        return ms;
    }

    private long elapsedMs(long now) {
        return TimeUnit.NANOSECONDS.toMillis(now - startNanos);
    }
}
