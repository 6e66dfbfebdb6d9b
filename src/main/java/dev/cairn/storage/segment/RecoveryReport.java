package dev.cairn.storage.segment;

import java.nio.file.Path;

/**
 * What recovery found when a segmented file was opened.
 *
 * @param scanned whether the last segment was scanned (false after a clean shutdown)
 * @param entriesScanned valid entries seen by the scan
 * @param truncatedFile the segment that was cut, or null if nothing was
 * @param truncatedAt the position it was cut at, or -1
 * @param bytesTruncated bytes removed, including whole segments dropped after it
 * @param tornTail true if what was cut was a torn or corrupt final entry; false if it was
 *     corruption before the tail, cut because the owner asked for {@link RecoveryMode#TRUNCATE_AT_CORRUPTION}
 * @param reason what was wrong with the first removed entry, or null
 */
public record RecoveryReport(boolean scanned, long entriesScanned, Path truncatedFile, long truncatedAt,
        long bytesTruncated, boolean tornTail, String reason) {

    static RecoveryReport clean(boolean scanned, long entriesScanned) {
        return new RecoveryReport(scanned, entriesScanned, null, -1, 0, false, null);
    }

    /** Whether recovery removed anything. */
    public boolean truncated() {
        return truncatedFile != null;
    }
}
