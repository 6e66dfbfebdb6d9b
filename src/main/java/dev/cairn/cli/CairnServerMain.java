package dev.cairn.cli;

/**
 * The runnable jar's entry point (its manifest names this class): runs the command-line tool,
 * {@link CairnCli}. A command line that starts with an option runs {@code serve}, as this class
 * did alone before the tool had commands:
 *
 * <pre>
 *   java -jar cairn-&lt;version&gt;-all.jar --dir ./data --redis-port 6379
 *   java -jar cairn-&lt;version&gt;-all.jar serve --dir ./data --redis-port 6379 --kafka-port 9092
 *   java -jar cairn-&lt;version&gt;-all.jar describe ./data
 * </pre>
 */
public final class CairnServerMain {
    private CairnServerMain() {
    }

    public static void main(String[] args) {
        Logging.configure();
        CairnCli.main(args);
    }
}
