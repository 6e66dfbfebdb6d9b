package dev.cairn.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command-line tool of the runnable jar: {@code java -jar cairn-<version>-all.jar <command>},
 * with the commands {@code serve}, {@code check}, {@code repair}, {@code describe} and {@code dump}, each with
 * {@code --help}.
 *
 * <p>Exit codes: 0 done, 1 failed (the reason on stderr, prefixed {@code cairn:}), 2 a usage error
 * (the message and the command's usage on stderr); {@code repair} adds 3 (declined) and 4 (damage
 * it cannot mend). A command line that starts with an option, or
 * is empty, runs {@code serve}, so that the flag-only invocation of earlier releases
 * ({@code --dir ./data --redis-port 6379}) keeps working.
 *
 * <p>Stateless; each {@link #execute} builds its own {@link CommandLine}.
 */
@Command(name = "cairn", mixinStandardHelpOptions = true, versionProvider = CairnCli.Version.class,
        description = "Serves and inspects a Cairn data directory.",
        subcommands = {ServeCommand.class, CheckCommand.class, RepairCommand.class, DescribeCommand.class,
                DumpCommand.class, CommandLine.HelpCommand.class})
public final class CairnCli {
    /** Exit code of a command that failed, or found problems. */
    public static final int FAILED = 1;
    /** Exit code of a usage error. */
    public static final int USAGE = 2;
    /** Exit code of {@code repair} when the answer to its question was not yes: nothing changed. */
    public static final int DECLINED = 3;
    /** Exit code of {@code repair} when it found damage it cannot mend. */
    public static final int UNREPAIRABLE = 4;

    private static final Set<String> TOP_LEVEL_OPTIONS = Set.of("-h", "--help", "-V", "--version");

    /** Where a command reads answers to its questions ({@code repair}). */
    private final BufferedReader in;

    private CairnCli(BufferedReader in) {
        this.in = in;
    }

    /** Runs {@code args} and exits with the command's exit code (unless it serves until stopped). */
    public static void main(String[] args) {
        Logging.configure();
        int code = execute(args, new BufferedReader(new InputStreamReader(System.in, Charset.defaultCharset())),
                new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        System.exit(code);
    }

    /**
     * Runs {@code args}, writing to {@code out} and {@code err}; returns the exit code. The
     * tests call this in process.
     */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        return execute(args, new BufferedReader(new StringReader("")), out, err);
    }

    /**
     * Runs {@code args}, reading answers from {@code in} and writing to {@code out} and
     * {@code err}; returns the exit code.
     */
    public static int execute(String[] args, BufferedReader in, PrintWriter out, PrintWriter err) {
        CommandLine line = new CommandLine(new CairnCli(in));
        line.setOut(out);
        line.setErr(err);
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            err.println("cairn " + cmd.getCommandName() + ": " + message(e));
            err.flush();
            return FAILED;
        });
        int code = line.execute(withDefaultCommand(args));
        out.flush();
        err.flush();
        return code;
    }

    /** Prefixes {@code serve} to a command line that names no command. */
    static String[] withDefaultCommand(String[] args) {
        if (args.length == 0 || args[0].startsWith("-") && !TOP_LEVEL_OPTIONS.contains(args[0])) {
            String[] serve = new String[args.length + 1];
            serve[0] = "serve";
            System.arraycopy(args, 0, serve, 1, args.length);
            return serve;
        }
        return Arrays.copyOf(args, args.length);
    }

    BufferedReader in() {
        return in;
    }

    private static String message(Exception e) {
        String text = e.getMessage();
        return text == null || text.isBlank() ? e.getClass().getSimpleName() : text;
    }

    /** The version from the jar's manifest, when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = CairnCli.class.getPackage().getImplementationVersion();
            return new String[] {"cairn " + (version == null ? "(development build)" : version)};
        }
    }
}
