package dev.cairn.cli;

/**
 * Points logback at the tool's own settings (INFO and above on stderr), under a name no
 * application's class path uses, unless the user named a file with
 * {@code -Dlogback.configurationFile}. Called before anything logs.
 */
final class Logging {
    private static final String PROPERTY = "logback.configurationFile";

    private Logging() {
    }

    static void configure() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, "dev/cairn/cli/server-logback.xml");
        }
    }
}
