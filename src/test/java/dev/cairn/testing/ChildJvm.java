package dev.cairn.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a test's child JVM (for crash tests that kill it): the same java binary and class path as
 * the test, a small heap and quick start-up flags, stderr discarded. Callers add redirects and start it.
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /** A process builder running {@code main} with {@code args} in a fresh JVM. */
    public static ProcessBuilder of(Class<?> main, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
    }
}
