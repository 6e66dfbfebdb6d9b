package dev.cairn.cli;

import dev.cairn.DataDirectoryCheck;
import dev.cairn.DataDirectoryRepair;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code repair DIR}: lists what recovery would change in a data directory and what each change
 * drops ({@link DataDirectoryRepair#plan}), asks for a {@code y} on stdin unless {@code --yes}
 * is given, and then lets recovery make exactly those changes ({@link DataDirectoryRepair#apply}).
 * Damage recovery cannot mend is named and left as it is. Every dropped byte range is printed
 * before anything changes: the tool never drops data silently.
 *
 * <p>Exit codes: 0 nothing to repair, or repaired; {@link CairnCli#FAILED} on an error, or with
 * {@code --dry-run} when something would be repaired; {@link CairnCli#DECLINED} when the answer
 * was not yes (nothing changed); {@link CairnCli#UNREPAIRABLE} when damage was found that repair
 * cannot mend (what could be mended was repaired, if confirmed).
 *
 * <p>One instance per command line; not thread-safe.
 */
@Command(name = "repair", mixinStandardHelpOptions = true,
        description = "Lists the damage a crash left that recovery can mend (torn tails, bad indexes, leftover "
                + "files) with what each change drops, asks for confirmation, then repairs exactly that. Exit code 3 "
                + "if declined, 4 if damage is found that repair cannot mend. Fails while a Cairn has the directory "
                + "open.")
final class RepairCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @ParentCommand
    private CairnCli parent;

    @Parameters(index = "0", paramLabel = "DIR", description = "The data directory.")
    private Path dir;

    @Option(names = {"-y", "--yes"}, description = "Repair without asking.")
    private boolean yes;

    @Option(names = "--dry-run", description = "List what would be repaired, change nothing and do not ask. "
            + "Exit code 1 if there is something to repair.")
    private boolean dryRun;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path root = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("cannot repair " + root + ": no such directory");
        }
        DataDirectoryRepair.Plan plan = DataDirectoryRepair.plan(root);
        if (plan.clean()) {
            out.println("nothing to repair in " + root);
            return 0;
        }
        if (!plan.actions().isEmpty()) {
            out.println("repair " + root + ":");
            for (DataDirectoryRepair.Action a : plan.actions()) {
                out.println("  " + describe(root, a));
            }
        }
        if (!plan.unrepairable().isEmpty()) {
            out.println("damage repair cannot mend (left as it is):");
            for (DataDirectoryCheck.Problem p : plan.unrepairable()) {
                out.println("  " + root.relativize(p.file()) + (p.position() >= 0 ? " @" + p.position() : "") + ": "
                        + p.what());
            }
        }
        int failed = plan.unrepairable().isEmpty() ? 0 : CairnCli.UNREPAIRABLE;
        if (plan.actions().isEmpty()) {
            out.println("nothing repaired");
            return failed;
        }
        if (dryRun) {
            out.println("dry run: nothing changed");
            return failed != 0 ? failed : CairnCli.FAILED;
        }
        if (!yes && !confirmed(out)) {
            out.println("nothing changed");
            return CairnCli.DECLINED;
        }
        DataDirectoryRepair.apply(plan);
        long bytes = plan.actions().stream()
                .filter(a -> a.kind() == DataDirectoryRepair.Kind.TRUNCATE || a.kind() == DataDirectoryRepair.Kind.DELETE)
                .mapToLong(DataDirectoryRepair.Action::bytes).sum();
        out.println(String.format(Locale.ROOT, "repaired %d %s, %d bytes dropped", plan.actions().size(),
                plan.actions().size() == 1 ? "file" : "files", bytes));
        return failed;
    }

    private static String describe(Path root, DataDirectoryRepair.Action a) {
        String file = root.relativize(a.file()).toString();
        return switch (a.kind()) {
            case TRUNCATE -> String.format(Locale.ROOT, "%s: truncate at position %d, dropping %d bytes (%d..%d): %s",
                    file, a.fromPosition(), a.bytes(), a.fromPosition(), a.toPosition(), a.what());
            case DELETE -> String.format(Locale.ROOT, "%s: delete (%d bytes): %s", file, a.bytes(), a.what());
            case REBUILD -> file + ": rebuild: " + a.what();
            case REWRITE -> file + ": rewrite: " + a.what();
        };
    }

    private boolean confirmed(PrintWriter out) throws IOException {
        out.print("repair these files, dropping what is listed? [y/N] ");
        out.flush();
        BufferedReader in = parent.in();
        String answer = in.readLine();
        if (answer == null) {
            out.println();
        }
        return answer != null && (answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"));
    }
}
