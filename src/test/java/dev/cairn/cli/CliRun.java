package dev.cairn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** One in-process run of the tool, with what it printed; and a fingerprint of a directory's files. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = CairnCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(code, out.toString(), err.toString());
    }

    /** A run that reads {@code input} where the tool asks a question. */
    static CliRun answering(String input, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = CairnCli.execute(args, new java.io.BufferedReader(new java.io.StringReader(input)),
                new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(code, out.toString(), err.toString());
    }

    /**
     * Every file and directory under {@code root}: its path, then (for a file) its bytes' hash,
     * size and modification time, so that two fingerprints are equal only if nothing changed.
     */
    static Map<String, String> fingerprint(Path root) {
        Map<String, String> seen = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                String what = a.isDirectory() ? "dir"
                        : Arrays.hashCode(Files.readAllBytes(p)) + " " + a.size() + " " + a.lastModifiedTime().toMillis();
                seen.put(root.relativize(p).toString(), what);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return seen;
    }
}
