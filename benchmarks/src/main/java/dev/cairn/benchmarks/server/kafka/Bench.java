package dev.cairn.benchmarks.server.kafka;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the Kafka front end's benchmark programs share: arguments, statistics, child JVMs, logging. */
final class Bench {
    private Bench() {
    }

    /**
     * Sets the root logger to ERROR: the broker logs hundreds of INFO lines while it starts, and
     * logback's default configuration would print them all (at DEBUG) on the measured path; the
     * warnings left are expected ones (a producer's first Metadata finding its topic not yet
     * created, a broker's first start finding its metadata log empty).
     */
    static void quietLogging() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.ERROR);
        }
    }

    /** {@code --name value} pairs; a bare {@code --name} means "true". */
    static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option, got " + args[i]);
            }
            String name = args[i].substring(2);
            int eq = name.indexOf('=');
            if (eq >= 0) {
                options.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                options.put(name, args[++i]);
            } else {
                options.put(name, "true");
            }
        }
        return options;
    }

    static int intOption(Map<String, String> options, String name, int defaultValue) {
        String value = options.get(name);
        return value == null ? defaultValue : Integer.parseInt(value);
    }

    /** The value at quantile {@code q} (0.5 = median) of {@code values}, by the nearest-rank method. */
    static double quantile(List<? extends Number> values, double q) {
        double[] sorted = values.stream().mapToDouble(Number::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double median(List<? extends Number> values) {
        double[] sorted = values.stream().mapToDouble(Number::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    static double millis(long nanos) {
        return nanos / 1e6;
    }

    /**
     * The command for a new JVM running {@code mainClass} with this JVM's flags (heap, GC, system
     * properties) and class path, so a child and its parent are configured alike.
     */
    static List<String> javaCommand(Class<?> mainClass, String... args) {
        return javaCommand(List.of(), mainClass, args);
    }

    /** {@link #javaCommand(Class, String...)} with {@code extraFlags} after this JVM's flags. */
    static List<String> javaCommand(List<String> extraFlags, Class<?> mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(extraFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(Arrays.asList(args));
        return command;
    }

    /** A line naming this JVM and its flags, printed at the head of every result. */
    static String jvmLine() {
        return "jvm: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + ", flags " + ManagementFactory.getRuntimeMXBean().getInputArguments()
                + ", cores " + Runtime.getRuntime().availableProcessors()
                + ", load average " + ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
