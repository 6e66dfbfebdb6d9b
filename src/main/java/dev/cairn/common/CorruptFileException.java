package dev.cairn.common;

import java.util.Objects;

/**
 * Bytes on disk are not what Cairn wrote: a checksum mismatch, an impossible length, a
 * foreign or newer file format. The message names the file, the byte position, what was
 * expected and what was found; the same facts are available as fields.
 */
public class CorruptFileException extends CairnException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final long position;
    private final String problem;

    public CorruptFileException(String file, long position, String problem) {
        this(file, position, problem, file + " is corrupt at byte position " + position + ": " + problem);
    }

    /** For subclasses that word the message themselves. */
    protected CorruptFileException(String file, long position, String problem, String message) {
        super(message);
        this.file = Objects.requireNonNull(file, "file");
        this.position = position;
        this.problem = problem;
    }

    /** The file that holds the bad bytes, as a path string. */
    public String file() {
        return file;
    }

    /** The byte position in {@link #file()} where the bad bytes start. */
    public long position() {
        return position;
    }

    /** What is wrong with the bytes, without the file and position. */
    public String problem() {
        return problem;
    }
}
