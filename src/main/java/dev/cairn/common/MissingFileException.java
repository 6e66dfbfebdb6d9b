package dev.cairn.common;

/**
 * A file that the data directory's own records say must exist is gone: a snapshot or an
 * append-only part the dictionary's manifest names, a segment in the middle of a sequence, the
 * last segment a clean shutdown recorded, or the manifest itself while the files it would name
 * are present. Opening anyway would silently drop or skip acknowledged writes, so Cairn refuses,
 * deletes nothing, and says which file is missing and how to recover.
 *
 * <p>A kind of {@link CorruptFileException}: a caller that handles damaged data directories
 * handles this one too. {@link #position()} is 0.
 */
public class MissingFileException extends CorruptFileException {
    private static final long serialVersionUID = 1L;

    public MissingFileException(String file, String problem) {
        super(file, 0, problem, file + " is missing: " + problem);
    }
}
