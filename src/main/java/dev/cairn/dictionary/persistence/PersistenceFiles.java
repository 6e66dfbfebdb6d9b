package dev.cairn.dictionary.persistence;

import dev.cairn.common.CorruptFileException;
import dev.cairn.common.MissingFileException;
import dev.cairn.common.StorageException;
import dev.cairn.storage.AtomicFile;
import dev.cairn.storage.Storage;
import dev.cairn.storage.fs.StorageFileSystem;
import dev.cairn.storage.segment.SegmentedFile;
import dev.cairn.storage.segment.SegmentedFileOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dictionary's persistence directory and the life cycle of its files:
 *
 * <pre>
 * dictionary/
 *   manifest                   names the live snapshot and append-only parts (ManifestFormat)
 *   snapshot-&lt;id&gt;.cds          the live snapshot, if any (SnapshotFormat)
 *   aof-&lt;id&gt;/*.aof             append-only parts to replay after it, oldest first
 * </pre>
 *
 * <p>Recovery: load the named snapshot, then replay every named part in order; the last part
 * stays open for appends. A snapshot runs in two steps: {@link #beginSnapshot} (under the command
 * lock: the active part is closed and a new part named in the manifest, so the snapshot covers
 * exactly the entries before it) and {@link #completeSnapshot} (after the snapshot file is in
 * place: the manifest names it and drops the parts it covers, which are then deleted). A crash
 * between the two leaves the old snapshot and all parts named, so nothing is lost; a snapshot
 * file or part no manifest names is a leftover and is deleted on open.
 *
 * <p>What the manifest names must all be there: a missing manifest beside data files, a missing
 * snapshot, a missing part, or a gap in a part's segments stops the open with a
 * {@link MissingFileException}, and nothing is deleted (see {@link AppendOnlyFile} for the
 * segments).
 *
 * <p>Thread-safety: {@link #beginSnapshot} runs under the command lock; {@link #completeSnapshot}
 * on the snapshot thread; both take this object's monitor to serialize manifest changes.
 */
public final class PersistenceFiles {
    private static final Logger LOG = LoggerFactory.getLogger(PersistenceFiles.class);

    private final Storage storage;
    private final StorageFileSystem fs;
    private final Path directory;
    private final SegmentedFileOptions options;
    private Manifest manifest;

    /** What recovery found. */
    public record Recovery(AppendOnlyFile aof, long snapshotId, long snapshotKeys, long entriesReplayed) {
    }

    /** A snapshot begun by {@link #beginSnapshot}: where to write it and what it covers. */
    public record SnapshotTarget(long id, long sequence, Path path) {
    }

    private PersistenceFiles(Storage storage, Path directory, SegmentedFileOptions options, Manifest manifest) {
        this.storage = storage;
        this.fs = storage.fs();
        this.directory = directory;
        this.options = options;
        this.manifest = manifest;
    }

    /** Opens (creating) the directory, reads or writes the manifest, and deletes leftovers. */
    public static PersistenceFiles open(Storage storage, Path directory, SegmentedFileOptions options) {
        StorageFileSystem fs = storage.fs();
        try {
            fs.createDirectoryDurably(directory);
        } catch (IOException e) {
            throw new StorageException("cannot create " + directory + ": " + e.getMessage(), e);
        }
        Manifest manifest = ManifestFormat.read(fs, directory).orElse(null);
        if (manifest == null) {
            refuseDataWithoutManifest(storage, directory);
            manifest = Manifest.initial();
            // The part first, then the manifest that names it: a part the manifest names is
            // never missing (recovery refuses one that is).
            SegmentedFile.open(storage, directory.resolve(ManifestFormat.partDirectoryName(manifest.activePart())),
                    AppendOnlyFile.segmentOptions(options), 0).close();
            ManifestFormat.write(fs, directory, manifest);
        }
        PersistenceFiles files = new PersistenceFiles(storage, directory, options, manifest);
        files.deleteLeftovers();
        return files;
    }

    /**
     * A directory without a manifest is new only if it holds no snapshot and no append-only part
     * with entries: the first open creates an empty part and then the manifest, and no crash
     * leaves entries or a snapshot without one. Data files without it mean the manifest was lost,
     * and starting afresh would delete them as leftovers.
     */
    private static void refuseDataWithoutManifest(Storage storage, Path directory) {
        StorageFileSystem fs = storage.fs();
        List<String> data = new ArrayList<>();
        try {
            for (Path entry : fs.list(directory)) {
                String name = entry.getFileName().toString();
                if (ManifestFormat.parseId(name, ManifestFormat.SNAPSHOT_PREFIX, ManifestFormat.SNAPSHOT_SUFFIX) >= 0
                        || ManifestFormat.parseId(name, ManifestFormat.PART_PREFIX, "") >= 0
                        && AppendOnlyFile.holdsEntries(storage, entry)) {
                    data.add(name);
                }
            }
        } catch (IOException e) {
            throw new StorageException("cannot list " + directory + ": " + e.getMessage(), e);
        }
        if (!data.isEmpty()) {
            data.sort(null);
            throw new MissingFileException(directory.resolve(ManifestFormat.FILE_NAME).toString(),
                    "the dictionary's data files " + data + " are present but the manifest that says which of"
                            + " them to load is not; nothing was opened or deleted. Restore the manifest from a"
                            + " backup, or move the dictionary directory aside to start with an empty dictionary");
        }
    }

    public Manifest manifest() {
        synchronized (this) {
            return manifest;
        }
    }

    public Path directory() {
        return directory;
    }

    /**
     * Loads the snapshot and replays the parts.
     *
     * @param snapshotLoader reads the snapshot's records (called only if there is one); must
     *     adopt them only after {@link SnapshotReader#next()} has returned false
     * @param replay applies one entry's commands
     */
    public Recovery recover(Consumer<SnapshotReader> snapshotLoader, Consumer<List<List<byte[]>>> replay) {
        Manifest m = manifest();
        long snapshotKeys = 0;
        if (m.hasSnapshot()) {
            Path path = directory.resolve(ManifestFormat.snapshotFileName(m.snapshotId()));
            if (!fs.exists(path)) {
                throw new MissingFileException(path.toString(), "the manifest names snapshot " + m.snapshotId()
                        + ", the base every later write applies to, but the file is gone; nothing was opened or"
                        + " deleted. Restore it from a backup");
            }
            try (SnapshotReader reader = SnapshotReader.open(fs, path)) {
                if (reader.id() != m.snapshotId() || reader.sequence() != m.snapshotSequence()) {
                    throw new CorruptFileException(path.toString(), SnapshotFormat.ID_OFFSET,
                            "snapshot id " + reader.id() + " and sequence " + reader.sequence()
                                    + " do not match the manifest's " + m.snapshotId() + " and " + m.snapshotSequence());
                }
                snapshotLoader.accept(reader);
                if (reader.next()) {
                    throw new IllegalStateException("the snapshot loader stopped before the end of " + path);
                }
                snapshotKeys = reader.recordsRead();
            }
        }
        long replayed = 0;
        long sequence = m.snapshotSequence();
        SegmentedFile active = null;
        long activeId = -1;
        List<Long> parts = m.parts();
        for (int i = 0; i < parts.size(); i++) {
            AppendOnlyFile.Replayed part = AppendOnlyFile.replayPart(storage, directory, options, parts.get(i),
                    sequence, i == parts.size() - 1, replay);
            replayed += part.entries();
            sequence += part.entries();
            boolean last = i == parts.size() - 1;
            if (part.truncated() && !last) {
                // Later parts hold writes made on top of what was cut: they go with it.
                Manifest cut = new Manifest(m.snapshotId(), m.snapshotSequence(), parts.subList(0, i + 1));
                synchronized (this) {
                    ManifestFormat.write(fs, directory, cut);
                    manifest = cut;
                    deleteLeftovers();
                }
                m = cut;
                last = true;
            }
            if (last) {
                active = part.part();
                activeId = parts.get(i);
                break;
            }
            part.part().close();
        }
        AppendOnlyFile aof = AppendOnlyFile.resume(storage, directory, options, active, activeId, sequence);
        return new Recovery(aof, m.snapshotId(), snapshotKeys, replayed);
    }

    /**
     * Starts a snapshot: closes the active part, opens the next one and names it in the manifest.
     * Call under the command lock, so that the snapshot's state is exactly the state after the
     * entries before the new part.
     */
    public synchronized SnapshotTarget beginSnapshot(AppendOnlyFile aof) {
        long id = aof.activeId() + 1;
        long sequence = aof.nextSequence();
        aof.startPart(id);
        List<Long> parts = new ArrayList<>(manifest.parts());
        parts.add(id);
        Manifest next = new Manifest(manifest.snapshotId(), manifest.snapshotSequence(), parts);
        ManifestFormat.write(fs, directory, next);
        manifest = next;
        return new SnapshotTarget(id, sequence, directory.resolve(ManifestFormat.snapshotFileName(id)));
    }

    /** Names the finished snapshot in the manifest and deletes the files it replaces. */
    public synchronized void completeSnapshot(SnapshotTarget target) {
        List<Long> parts = new ArrayList<>();
        for (long part : manifest.parts()) {
            if (part >= target.id()) {
                parts.add(part);
            }
        }
        Manifest next = new Manifest(target.id(), target.sequence(), parts);
        ManifestFormat.write(fs, directory, next);
        manifest = next;
        deleteLeftovers();
    }

    /**
     * Total bytes of the append-only parts the manifest names. The active part counts its entries
     * ({@code aof}'s own count): its file runs ahead of them while it is being written.
     */
    public long appendOnlyBytes(AppendOnlyFile aof) {
        long total = 0;
        long active = aof.activeId();
        for (long part : manifest().parts()) {
            if (part == active) {
                total += aof.activeSizeBytes();
                continue;
            }
            Path partDirectory = directory.resolve(ManifestFormat.partDirectoryName(part));
            try {
                for (Path segment : fs.list(partDirectory)) {
                    total += fs.size(segment);
                }
            } catch (IOException e) {
                throw new StorageException("cannot size " + partDirectory + ": " + e.getMessage(), e);
            }
        }
        return total;
    }

    /** Deletes snapshot files and parts the manifest does not name, and temporary files. */
    private void deleteLeftovers() {
        Manifest m = manifest;
        try {
            boolean deleted = false;
            for (Path entry : fs.list(directory)) {
                String name = entry.getFileName().toString();
                long snapshot = ManifestFormat.parseId(name, ManifestFormat.SNAPSHOT_PREFIX, ManifestFormat.SNAPSHOT_SUFFIX);
                long part = ManifestFormat.parseId(name, ManifestFormat.PART_PREFIX, "");
                boolean leftover = (snapshot >= 0 && snapshot != m.snapshotId())
                        || (part >= 0 && !m.parts().contains(part))
                        || name.endsWith(AtomicFile.TEMP_SUFFIX);
                if (leftover) {
                    if (part >= 0) {
                        for (Path file : fs.list(entry)) {
                            fs.delete(file);
                        }
                    }
                    fs.delete(entry);
                    deleted = true;
                    LOG.debug("deleted {}, which the manifest does not name", entry);
                }
            }
            if (deleted) {
                fs.syncDirectory(directory);
            }
        } catch (IOException e) {
            throw new StorageException("cannot clean up " + directory + ": " + e.getMessage(), e);
        }
    }
}
