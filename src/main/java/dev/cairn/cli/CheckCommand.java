package dev.cairn.cli;

import dev.cairn.DataDirectoryCheck;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code check DIR}: reads every file of a data directory and verifies it against its format
 * ({@link DataDirectoryCheck}), changing nothing; prints each problem (file, position, what is
 * wrong) and a summary on stdout, and exits with 1 if there was any. A progress line goes to stderr
 * when stderr is a terminal, or with {@code --progress}.
 *
 * <p>One instance per command line; not thread-safe.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Verifies every file of a data directory (checksums, framing, indexes) without changing "
                + "it. Exit code 1 if a problem is found. Fails while a Cairn has the directory open.")
final class CheckCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The data directory.")
    private Path dir;

    @Option(names = "--progress", description = "Show progress on stderr even when it is not a terminal.")
    private boolean progress;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path root = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("cannot check " + root + ": no such directory");
        }
        long total = DataDirectoryCheck.totalBytes(root);
        Progress bar = new Progress(err, total, progress || System.console() != null);
        List<DataDirectoryCheck.Problem> problems = DataDirectoryCheck.check(root, bar::advance);
        bar.finish();
        for (DataDirectoryCheck.Problem p : problems) {
            out.println(root.relativize(p.file()) + (p.position() >= 0 ? " @" + p.position() : "") + ": " + p.what());
        }
        out.println(String.format(Locale.ROOT, "checked %s (%d bytes): %s", root, total,
                problems.isEmpty() ? "no problems" : problems.size() + (problems.size() == 1 ? " problem" : " problems")));
        out.flush();
        return problems.isEmpty() ? 0 : CairnCli.FAILED;
    }

    /** A one-line progress bar, redrawn with a carriage return. */
    private static final class Progress {
        private final PrintWriter err;
        private final long total;
        private final boolean shown;
        private long done;
        private int lastPercent = -1;

        Progress(PrintWriter err, long total, boolean shown) {
            this.err = err;
            this.total = Math.max(1, total);
            this.shown = shown;
        }

        void advance(long bytes) {
            done += bytes;
            int percent = (int) (done * 100 / total);
            if (shown && percent != lastPercent) {
                lastPercent = percent;
                int filled = percent * 30 / 100;
                err.print(String.format(Locale.ROOT, "\rchecking [%-30s] %3d%% %,d / %,d bytes", "#".repeat(filled),
                        percent, done, total));
                err.flush();
            }
        }

        void finish() {
            if (shown && lastPercent >= 0) {
                err.println();
                err.flush();
            }
        }
    }
}
